"""Transport's screens' pieces (pages/transport/ puts them together): the place form and
card, a distance as it is shown with where it comes from, the distance table's forms."""
