from django.apps import AppConfig


class ConversationTemplatesConfig(AppConfig):
    name = "samtal.conversation_templates"
    verbose_name = "Samtalsmallar"
