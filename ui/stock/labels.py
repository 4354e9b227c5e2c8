"""What the warehouse's codes are called on screen (English msgids, shown translated)."""

from __future__ import annotations

from common.i18n import N_

KINDS = {
    "receipt": N_("Receipt"),
    "issue": N_("Issue"),
    "transfer": N_("Transfer"),
    "writeoff": N_("Write-off"),
    "count": N_("Inventory count"),
}
STATUS = {"draft": N_("Draft"), "posted": N_("Posted"), "cancelled": N_("Cancelled")}
UNIT_LABELS = {
    "l": N_("litre"),
    "pcs": N_("piece"),
    "kg": N_("kg"),
    "set": N_("set"),
    "m": N_("metre"),
    "pair": N_("pair"),
}
STORE_KINDS = {"store": N_("Store"), "tank": N_("Fuel tank"), "workshop": N_("Workshop")}
