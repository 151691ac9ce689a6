"""发文: drafting, 核稿, 会签, 签发, numbering, 核发 and distribution — one flow of the fixed shape
(models, rules, services, selectors, api, views, forms, exports, demo)."""
