"""The ground floor: helpers with no rules of the practice, below every app.

Nothing here imports an app of the project (only Django, its add-ons and the standard
library), so any app may use it without tying itself to another: how a page answers a
form and where it goes next (``answers``), service errors on forms and date inputs
(``forms``), public codes (``codes``), evidence-file checks (``evidence``), text limits
(``text``), exact decimals (``decimals``), batching and bulk writes (``iterables``,
``bulk``), URL parameters (``urlparams``), the user of a write (``users``) and the
bounds of a calendar year (``years``).
"""
