"""Background work on RQ: AB岗 rerouting, alerts, near-turn notices and the day's rollover."""
