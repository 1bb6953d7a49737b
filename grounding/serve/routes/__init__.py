"""The HTTP API by resource; `grounding.serve.app.create_app` includes these routers in this order."""
