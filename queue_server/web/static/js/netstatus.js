// Connection indicator and "connection lost" banner shared by the screens.
// The banner waits a moment before showing: a reconnect that succeeds within 2 s is not news.

import { t, onLangChange } from './i18n.js';

const BANNER_DELAY_MS = 2000;
const BAD = new Set(['offline', 'refused', 'error']);

export function mountNetStatus({ indicator = null, banner = null }) {
  let status = 'connecting';
  let timer = null;
  let wasDown = false;
  const render = () => {
    if (indicator) {
      indicator.dataset.status = status;
      const text = indicator.querySelector('[data-status-text]') || indicator;
      text.textContent = t(`conn.${status}`);
    }
  };
  const showBanner = (kind) => {
    if (!banner) return;
    banner.dataset.kind = kind;
    banner.textContent = t(kind === 'restored' ? 'conn.restored' : `conn.banner.${status}`);
    banner.hidden = false;
  };
  onLangChange(() => { render(); if (banner && !banner.hidden) showBanner(banner.dataset.kind); });
  render();
  return (next) => {
    status = next;
    render();
    clearTimeout(timer);
    if (BAD.has(next)) {
      timer = setTimeout(() => { wasDown = true; showBanner('down'); }, next === 'refused' ? 0 : BANNER_DELAY_MS);
    } else if (next === 'live' && banner) {
      if (wasDown) {
        wasDown = false;
        showBanner('restored');
        timer = setTimeout(() => { banner.hidden = true; }, 3000);
      } else {
        banner.hidden = true;
      }
    }
  };
}
