"""The server-rendered pages, one module per page group. Views are thin: reads go through
selectors that take the actor, writes through services; a form with bad input is shown
again with its messages, a good one redirects (and, asked by htmx, the browser is told
where to go)."""
