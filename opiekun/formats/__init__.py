"""Date and time formats as each language customarily writes them (FORMAT_MODULE_PATH): day
before month, a 24-hour clock, everywhere (desk, portal, emails, PDFs). Django's own
defaults give Estonian and English the US order with a 12-hour clock."""
