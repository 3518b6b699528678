"""Form pieces shared by the apps."""

from django import forms


class ListChoiceIterator(forms.models.ModelChoiceIterator):
    """Reads the choices in one plain query (no server-side cursor on PostgreSQL)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class ListModelChoiceField(forms.ModelChoiceField):
    iterator = ListChoiceIterator
