"""The fleet's use cases (SPEC F1-F7), one module per job:

units       vehicles and trailers, their categories, the catalog, pickers
couplings   which trailer a tractor pulls, with the history
odometer    the odometer log (the warehouse records a fuel reading through `add_reading`)
repairs     repairs with parts, maintenance plans
documents   documents with validity and their types, a record's status, the documents due
drivers     driver cards
dispatch    the dispatch compliance check
scans       the daily expiry and maintenance scans
imports     vehicles, trailers and drivers from CSV or Excel

Everything outside this package uses it through the names below; the modules are its own.
"""

from core.services.fleet.couplings import couple, current_partner, list_couplings, uncouple
from core.services.fleet.dispatch import check_dispatch
from core.services.fleet.documents import (
    DocumentInput,
    archive_document,
    documents_due,
    documents_state,
    list_document_types,
    list_documents,
    missing_required,
    renew_document,
    save_document,
    save_document_type,
    set_document_type_archived,
    warn_days,
)
from core.services.fleet.drivers import (
    DriverInput,
    driver_choices,
    employees_without_card,
    export_drivers,
    get_driver,
    list_drivers,
    save_driver,
)
from core.services.fleet.imports import DRIVER_FIELDS, UNIT_FIELDS, import_drivers, import_units, template_csv
from core.services.fleet.odometer import add_reading, list_readings
from core.services.fleet.repairs import (
    PartLine,
    RepairInput,
    add_plan,
    add_repair,
    archive_plan,
    list_plans,
    list_repairs,
)
from core.services.fleet.scans import ScanResult, expiry_scan, maintenance_scan
from core.services.fleet.units import (
    UnitInput,
    create_unit,
    export_units,
    get_unit,
    list_categories,
    list_units,
    responsible_choices,
    save_category,
    set_category_archived,
    set_unit_archived,
    unit_choices,
    update_unit,
)

__all__ = [
    "DRIVER_FIELDS",
    "UNIT_FIELDS",
    "DocumentInput",
    "DriverInput",
    "PartLine",
    "RepairInput",
    "ScanResult",
    "UnitInput",
    "add_plan",
    "add_reading",
    "add_repair",
    "archive_document",
    "archive_plan",
    "check_dispatch",
    "couple",
    "create_unit",
    "current_partner",
    "documents_due",
    "documents_state",
    "driver_choices",
    "employees_without_card",
    "expiry_scan",
    "export_drivers",
    "export_units",
    "get_driver",
    "get_unit",
    "import_drivers",
    "import_units",
    "list_categories",
    "list_couplings",
    "list_document_types",
    "list_documents",
    "list_drivers",
    "list_plans",
    "list_readings",
    "list_repairs",
    "list_units",
    "maintenance_scan",
    "missing_required",
    "renew_document",
    "responsible_choices",
    "save_category",
    "save_document",
    "save_document_type",
    "save_driver",
    "set_category_archived",
    "set_document_type_archived",
    "set_unit_archived",
    "template_csv",
    "uncouple",
    "unit_choices",
    "update_unit",
    "warn_days",
]
