from django.contrib import admin

from hotline.models import Category, KnowledgeEntry


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "is_epidemic", "public", "territorial", "active", "sort"]
    list_filter = ["is_epidemic", "public", "active"]
    search_fields = ["code", "name"]


@admin.register(KnowledgeEntry)
class KnowledgeEntryAdmin(admin.ModelAdmin):
    # The knowledge page links staff to "add" here; without the registration that page was a 500 for staff.
    list_display = ["question", "source", "valid_from", "valid_to", "public"]
    list_filter = ["public"]
    search_fields = ["question", "answer", "tags"]
