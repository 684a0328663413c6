"""The library's API, one router mounted at /api/v1/: media items and custody
(media_api.py), locations and stock-takes (places_api.py), destruction and research
requests (records_api.py)."""

from ninja import Router

from postdesk.library.media_api import router as media_router
from postdesk.library.places_api import router as places_router
from postdesk.library.records_api import router as records_router

router = Router()
router.add_router("", media_router)
router.add_router("", places_router)
router.add_router("", records_router)
