"""All models, imported so that `Base.metadata` knows every table (Alembic reads it)."""

from db.models.audit import ActivityLog
from db.models.auth import LoginThrottle, User, UserSession
from db.models.crm import (
    Client,
    ClientAgreement,
    ClientCategory,
    ClientContact,
    Consent,
    FollowUp,
    FollowUpRule,
    Interaction,
    Segment,
)
from db.models.files import Attachment
from db.models.fleet import (
    Coupling,
    Document,
    DocumentType,
    Driver,
    MaintenancePlan,
    OdometerReading,
    Repair,
    RepairPart,
    Vehicle,
    VehicleCategory,
)
from db.models.hr import Employee
from db.models.notify import EmailOutbox, Notification
from db.models.orders import OrderCatalogEntry, OrderStatusEvent, OrderStop, TransportDocumentCounter, TransportOrder
from db.models.settings import CompanyProfile, Parameter
from db.models.stock import (
    Item,
    ItemCategory,
    StockBalance,
    StockDocument,
    StockDocumentCounter,
    StockDocumentLine,
    StockMove,
    Warehouse,
)
from db.models.transport import Distance, Place
from db.models.trips import TransportDocument, Trip, TripBooking, TripExpense, TripOrder, TripStop

__all__ = [
    "ActivityLog",
    "Attachment",
    "Client",
    "ClientAgreement",
    "ClientCategory",
    "ClientContact",
    "CompanyProfile",
    "Consent",
    "Coupling",
    "Distance",
    "Document",
    "DocumentType",
    "Driver",
    "EmailOutbox",
    "Employee",
    "FollowUp",
    "FollowUpRule",
    "Interaction",
    "Item",
    "ItemCategory",
    "LoginThrottle",
    "MaintenancePlan",
    "Notification",
    "OdometerReading",
    "OrderCatalogEntry",
    "OrderStatusEvent",
    "OrderStop",
    "Parameter",
    "Place",
    "Repair",
    "RepairPart",
    "Segment",
    "StockBalance",
    "StockDocument",
    "StockDocumentCounter",
    "StockDocumentLine",
    "StockMove",
    "TransportDocument",
    "TransportDocumentCounter",
    "TransportOrder",
    "Trip",
    "TripBooking",
    "TripExpense",
    "TripOrder",
    "TripStop",
    "User",
    "UserSession",
    "Vehicle",
    "VehicleCategory",
    "Warehouse",
]
