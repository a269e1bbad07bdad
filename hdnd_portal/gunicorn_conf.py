"""gunicorn settings of the portal's web workers (`-c python:hdnd_portal.gunicorn_conf`, used by
./run and docker-compose.yml); the rest is given on the command line."""


def post_worker_init(worker):
    """Once a worker has loaded the application: garbage collection between requests, not in
    the middle of one (hdnd_portal.core.memory)."""
    from hdnd_portal.core.memory import tune_for_requests

    tune_for_requests()
