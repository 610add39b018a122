"""The fixed lists of the server area: common purposes of entry and kinds of device."""
from flask_babel import lazy_gettext as _l

OTHER = 'other'

# The buttons at the door, most frequent first; 'other' asks for a few words.
PURPOSES = (
    ('maintenance', _l('Maintenance work')),
    ('backup', _l('Backup media exchange')),
    ('patrol', _l('Inspection round')),
    ('vendor', _l('Accompanying a vendor')),
    ('documents', _l('Taking out or returning documents')),
    ('audit', _l('Audit')),
    (OTHER, _l('Other')),
)
PURPOSE_LABELS = dict(PURPOSES)

DEVICE_KINDS = (
    ('laptop', _l('Laptop PC')),
    ('smartphone', _l('Smartphone')),
    ('tablet', _l('Tablet')),
    ('usb', _l('USB memory')),
    ('disk', _l('External disk')),
    ('camera', _l('Camera')),
    ('tools', _l('Tools')),
    (OTHER, _l('Other')),
)
DEVICE_LABELS = dict(DEVICE_KINDS)

# What the lists can narrow to.
ENTRY_STATES = (
    ('open', _l('Inside now')),
    ('flagged', _l('Needs attention')),
)
DEVICE_STATES = (
    ('unapproved', _l('Not approved')),
    ('inside', _l('Still inside')),
)
