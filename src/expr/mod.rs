//! Expression language of SPEC §2.2 (being written).
