"""Label sheet layouts: the only data labels need (what is printed comes from the copies)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

MM = {"max_digits": 6, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class LabelLayout(models.Model):
    """A sheet of labels: page size, rows and columns, label size, the margins to the first label and the gaps
    between labels (all in millimetres)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    page_width = models.DecimalField(_("page width (mm)"), default=Decimal(210), **MM)
    page_height = models.DecimalField(_("page height (mm)"), default=Decimal(297), **MM)
    columns = models.PositiveSmallIntegerField(_("columns"), validators=[MinValueValidator(1)])
    rows = models.PositiveSmallIntegerField(_("rows"), validators=[MinValueValidator(1)])
    label_width = models.DecimalField(_("label width (mm)"), **MM)
    label_height = models.DecimalField(_("label height (mm)"), **MM)
    margin_top = models.DecimalField(_("top margin (mm)"), default=Decimal(0), **MM)
    margin_left = models.DecimalField(_("left margin (mm)"), default=Decimal(0), **MM)
    gap_horizontal = models.DecimalField(_("gap between columns (mm)"), default=Decimal(0), **MM)
    gap_vertical = models.DecimalField(_("gap between rows (mm)"), default=Decimal(0), **MM)
    padding = models.DecimalField(_("padding inside a label (mm)"), default=Decimal(2), **MM)

    class Meta:
        verbose_name = _("label sheet layout")
        verbose_name_plural = _("label sheet layouts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def per_sheet(self) -> int:
        return self.rows * self.columns

    def problems(self) -> list[str]:
        """Why this layout cannot be printed (labels off the page, padding larger than a label), or []."""
        found = []
        right = self.margin_left + self.columns * self.label_width + (self.columns - 1) * self.gap_horizontal
        bottom = self.margin_top + self.rows * self.label_height + (self.rows - 1) * self.gap_vertical
        if right > self.page_width:
            found.append(gettext("The labels run %(mm)s mm past the right edge of the page.")
                         % {"mm": right - self.page_width})
        if bottom > self.page_height:
            found.append(gettext("The labels run %(mm)s mm past the bottom of the page.")
                         % {"mm": bottom - self.page_height})
        if 2 * self.padding >= min(self.label_width, self.label_height):
            found.append(gettext("The padding leaves no room on the label."))
        return found

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.columns and self.rows and self.label_width and self.label_height and self.problems():
            raise ValidationError(self.problems())
