"""The public hotline categories as Open311 services, and the extra fields (attributes) some of them take.

Services are the public, active categories that have no public child: a parent with children is the
`group` of its children. They ship with the installation (hotline's data migration), so a freshly
migrated database already lists them.
"""

from django.db.models import Exists, OuterRef

from hotline.models import Category, OrderType, Urgency


def _values(choices):
    return [{"key": value, "name": str(label)} for value, label in choices]


# Epidemic topics ask for the kind of request and its urgency, so they are routed and timed right.
EPIDEMIC_ATTRIBUTES = [
    {"variable": True, "code": "order_type", "datatype": "singlevaluelist", "required": False,
     "datatype_description": "诉求类型,不填按“求助”", "order": 1, "description": "诉求类型",
     "values": _values(OrderType.choices)},
    {"variable": True, "code": "urgency", "datatype": "singlevaluelist", "required": False,
     "datatype_description": "紧急程度,不填按“一般”", "order": 2, "description": "紧急程度",
     "values": _values(Urgency.choices)},
]


def services():
    children = Category.objects.filter(parent=OuterRef("pk"), public=True, active=True)
    return (Category.objects.filter(public=True, active=True).exclude(Exists(children))
            .select_related("parent").order_by("sort", "code"))


def service(code):
    return services().filter(code=code).first()


def attributes(category):
    return EPIDEMIC_ATTRIBUTES if category.is_epidemic_topic else []


def as_service(category):
    parts = [category.name] + [p for p in category.description.replace("、", ",").replace(",", ",").split(",")
                               if p.strip()]
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": bool(attributes(category)),
        "type": "realtime",
        "keywords": ", ".join(p.strip() for p in parts),
        "group": category.parent.name if category.parent_id else category.name,
    }
