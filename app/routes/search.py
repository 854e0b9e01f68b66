"""The search page /soeg: filled in by the portal issue."""

from fastapi import APIRouter

router = APIRouter()
