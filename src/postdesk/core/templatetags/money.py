"""{% load money %}{{ amount|money:currency }}: the one way templates show money."""

from django import template

from postdesk.core.money_display import format_money

register = template.Library()


@register.filter
def money(amount, currency):
    return format_money(amount, currency)
