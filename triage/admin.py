from django.contrib import admin

from triage.models import ClassifierModel, DispatchRule, Feedback, Landmark, Road, TopicRule, TrainingExample


@admin.register(Road)
class RoadAdmin(admin.ModelAdmin):
    list_display = ["name", "number_from", "number_to", "unit", "illustrative", "note"]
    list_filter = ["illustrative"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(Landmark)
class LandmarkAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "illustrative", "note"]
    list_filter = ["illustrative"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]


@admin.register(TopicRule)
class TopicRuleAdmin(admin.ModelAdmin):
    list_display = ["phrase", "category", "weight", "active"]
    list_editable = ["weight", "active"]
    list_filter = ["active", "category"]
    search_fields = ["phrase", "category__name", "category__code"]


@admin.register(DispatchRule)
class DispatchRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "department", "territorial", "note"]
    list_editable = ["territorial"]
    autocomplete_fields = ["department"]


@admin.register(TrainingExample)
class TrainingExampleAdmin(admin.ModelAdmin):
    list_display = ["created", "category", "source", "text"]
    list_filter = ["source", "category"]
    search_fields = ["text"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created", "user", "address", "corrected_fields"]
    readonly_fields = ["user", "text", "address", "suggested", "accepted", "corrected_fields", "created"]


@admin.register(ClassifierModel)
class ClassifierModelAdmin(admin.ModelAdmin):
    list_display = ["version", "created", "n_examples", "sklearn_version", "active"]
    list_editable = ["active"]
    readonly_fields = ["version", "created", "n_examples", "last_example_id", "sklearn_version", "labels"]
