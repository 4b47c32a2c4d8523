from hotline.views.intake import caller_history, intake, knowledge_hits  # noqa: F401
from hotline.views.knowledge import emergency, faq, knowledge_list  # noqa: F401
from hotline.views.orders import act, export, order_detail, order_list, queue  # noqa: F401
