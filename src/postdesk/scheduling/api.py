"""API of scheduling: resources, skills, bookings, board, availability."""

from ninja import Router

router = Router(tags=["scheduling"])
