"""Extension points other apps plug into, so the shell never imports an area app directly.

Each app may have `nav.py` (menu items, home panels, banners) and `tasks.py` (worker jobs);
its AppConfig.ready() calls load_app_hooks(name) to import them.
"""

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class NavItem:
    label: str  # a lazy translation string
    url_name: str
    perm: str | None = None  # shown when the user holds this permission anywhere
    order: int = 100
    section: str = ""


NAV_ITEMS: list[NavItem] = []
HOME_PANELS: list = []  # callables(request) -> list[dict(title, value, url, tone)] or []
BANNERS: list = []  # callables(request) -> list[dict(text, tone)]


def nav_item(label, url_name, perm=None, order=100, section=""):
    item = NavItem(label, url_name, perm, order, section)
    if item not in NAV_ITEMS:
        NAV_ITEMS.append(item)
    return item


def home_panel(fn):
    if fn not in HOME_PANELS:
        HOME_PANELS.append(fn)
    return fn


def banner(fn):
    if fn not in BANNERS:
        BANNERS.append(fn)
    return fn


def load_app_hooks(app_name):
    for module in ("nav", "tasks"):
        try:
            import_module(f"{app_name}.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app_name}.{module}":
                raise
