from ninja import NinjaAPI

api = NinjaAPI(title="Kaoping API", version="1", urls_namespace="api")
