//! PDF and XLSX documents built from domain data.
