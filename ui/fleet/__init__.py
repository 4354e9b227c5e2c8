"""The fleet's screens' pieces (pages/fleet/ puts them together): the unit catalog and
form, the driver card, and the tabs of a unit or a driver, one module each."""
