"""Opiekun: a customer-service platform for Polish, Estonian and English service teams."""
