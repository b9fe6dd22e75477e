"""The team page (`tracker serve`): a read-only web view of the database.

`server` opens the database read-only and serves `app`'s routes with uvicorn; `app`
reads each page in one read-only transaction and renders it with tracker.render (the
report exactly as `report --format html` writes it) and `pages` (a claim, the sources,
errors); `params` reads query parameters as the CLI reads its options. Needs the `[web]`
extra (Starlette and uvicorn).
"""
