"""收文: 签收, 登记, 拟办, 批示, 承办, 传阅 (a second, per-reader machine) and 办结 — one flow of the
fixed shape (models, rules, services, selectors, api, views, forms, exports, demo)."""
