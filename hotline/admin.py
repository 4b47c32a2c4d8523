from django.contrib import admin

from hotline.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "is_epidemic", "public", "territorial", "active", "sort"]
    list_filter = ["is_epidemic", "public", "active"]
    search_fields = ["code", "name"]
