// JSON calls to /api/v1 with a bearer token; failures become ApiError carrying the server's (Chinese)
// message, so screens can show exactly why an action was refused.

import { t } from './i18n.js';
import { noteServerDate } from './time.js';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Call the API; returns the JSON body, or null for 204 No Content. */
export async function api(method, path, { token = null, body = undefined } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
  } catch (err) {
    throw new ApiError(0, 'network', t('error.network'));
  }
  noteServerDate(response.headers.get('Date'));
  if (response.status === 204) return null;
  let data = null;
  try { data = await response.json(); } catch (err) { data = null; }
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || 'http_error', error.message || t('error.http', { status: response.status }));
  }
  return data;
}

export const get = (path, opts) => api('GET', path, opts);
export const post = (path, body, opts = {}) => api('POST', path, { ...opts, body: body === undefined ? {} : body });
