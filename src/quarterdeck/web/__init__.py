"""The web app of ``quarterdeck serve``: today the event endpoints, later the dashboard pages.

``quarterdeck.web.app.create_app`` builds the Starlette application; the command line runs
it with uvicorn. This package imports nothing itself, so that the commands which do not
serve do not pay for loading the web stack.
"""
