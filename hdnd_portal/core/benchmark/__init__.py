"""The benchmark behind `manage.py benchmark`: the scale dataset in its own database
(dataset.py), a Django admin site used only to time the admin changelists next to the portal's
lists (site.py), and the cases and their timing (cases.py, measure.py). Nothing here is
imported by the running portal."""
