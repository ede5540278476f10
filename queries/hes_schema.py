"""Record-level HES tables (admitted patient care, A&E): field names, types and code sets.

These are never served: they live under ``<data_dir>/records/<table>/fy=YYYY-YY/`` and only
``extracts.hes_build`` reads them to derive the ``hes`` indicators. Field names and codes follow
the HES data dictionary; patient ids are 64-bit pseudonyms (real string ids are hashed on import).
"""

from __future__ import annotations

import re
from datetime import date

import pyarrow as pa

from queries.schema import Table

FIRST_DAY = date(2013, 4, 1)
LAST_DAY = date(2019, 3, 31)
FINANCIAL_YEARS = tuple(range(FIRST_DAY.year, LAST_DAY.year))  # 2013 = 2013/14 … 2018/19

# --- code sets (HES data dictionary) --------------------------------------------------------
ADMIMETH_ELECTIVE = ("11", "12", "13")
ADMIMETH_EMERGENCY = ("21", "22", "23", "24", "25", "2A", "2B", "2C", "2D", "28")
ADMIMETH_MATERNITY = ("31", "32")
ADMIMETH_OTHER = ("81", "82", "83")
ADMIMETH = ADMIMETH_ELECTIVE + ADMIMETH_EMERGENCY + ADMIMETH_MATERNITY + ADMIMETH_OTHER

USUAL_RESIDENCE = "19"
CARE_HOME = ("54", "65", "85")
DEATH = "79"
_LOCATIONS = (
    "19",
    "29",
    "30",
    "37",
    "38",
    "39",
    "40",
    "48",
    "49",
    "50",
    "51",
    "52",
    "53",
    "54",
    "65",
    "66",
    "84",
    "85",
    "86",
    "87",
    "88",
    "89",
    "98",
    "99",
)
ADMISORC = _LOCATIONS
DISDEST = tuple(sorted((*_LOCATIONS, DEATH)))
DISMETH = ("1", "2", "3", "4", "5", "8", "9")
SEX = ("0", "1", "2", "9")

AEARRIVALMODE = ("1", "2")
# 00 GP, 01 self, 02 LA social services, 03 emergency services, 04 work, 05 educational
# establishment, 06 police, 07 health care provider, 08 other, 92 GDP, 93 community dental.
AEREFSOURCE_GP = "00"
AEREFSOURCE = ("00", "01", "02", "03", "04", "05", "06", "07", "08", "92", "93")
AEATTENDCAT_FIRST = "1"
AEATTENDCAT = ("1", "2", "3")
AEATTENDDISP_ADMITTED = "01"
AEATTENDDISP = tuple(f"{code:02d}" for code in range(1, 15))
AEDEPTTYPE = ("01", "02", "03", "04")

AGE_MAX = 120
INFANT_AGES = tuple(range(7001, 7008))  # 7001-7007: infants under one year, by age band

ICD10_PATTERN = r"^[A-Z][0-9]{2}[0-9X-]?$"
# Any ONS area code: residents of Wales or of an unresolved English area count for England only.
RESIDENCE_PATTERN = re.compile(r"^[A-Z][0-9]{8}$")


def _fields(*pairs: tuple[str, pa.DataType, bool]) -> pa.Schema:
    return pa.schema([pa.field(name, dtype, nullable=nullable) for name, dtype, nullable in pairs])


HES_APC = Table(
    name="hes_apc",
    schema=_fields(
        ("EPIKEY", pa.int64(), False),
        ("PSEUDO_HESID", pa.int64(), False),
        ("SPELL_ID", pa.int64(), False),  # derived: one id per hospital provider spell
        ("EPIORDER", pa.int16(), False),
        ("ADMIDATE", pa.date32(), False),
        ("EPISTART", pa.date32(), False),
        ("EPIEND", pa.date32(), False),
        ("DISDATE", pa.date32(), True),  # on the last episode of a finished spell only
        ("ADMIMETH", pa.string(), False),
        ("ADMISORC", pa.string(), False),
        ("DISDEST", pa.string(), False),
        ("DISMETH", pa.string(), False),
        ("STARTAGE", pa.int16(), False),
        ("SEX", pa.string(), False),
        ("RESLADST_ONS", pa.string(), False),
        ("PROCODE3", pa.string(), False),
        ("DIAG_4_01", pa.string(), False),
        ("DIAG_4_02", pa.string(), True),
        ("RECORD_WEIGHT", pa.float64(), False),
    ),
    key=("EPIKEY",),
    partition_by="fy",
    allowed={
        "ADMIMETH": ADMIMETH,
        "ADMISORC": ADMISORC,
        "DISDEST": DISDEST,
        "DISMETH": DISMETH,
        "SEX": SEX,
    },
    patterns={"RESLADST_ONS": RESIDENCE_PATTERN},
    served=False,
)

HES_AE = Table(
    name="hes_ae",
    schema=_fields(
        ("AEKEY", pa.int64(), False),
        ("PSEUDO_HESID", pa.int64(), False),
        ("ARRIVALDATE", pa.date32(), False),
        ("AEARRIVALMODE", pa.string(), False),
        ("AEREFSOURCE", pa.string(), False),
        ("AEATTENDCAT", pa.string(), False),
        ("AEATTENDDISP", pa.string(), False),
        ("AEDEPTTYPE", pa.string(), False),
        ("ARRIVALAGE", pa.int16(), False),
        ("RESLADST_ONS", pa.string(), False),
        # Derived flag (address matched to a CQC care home), not a raw HES A&E field: HES A&E has
        # no residence type, and care-home attendances need one. Null when not known.
        ("CARE_HOME_RESIDENT", pa.bool_(), True),
        ("RECORD_WEIGHT", pa.float64(), False),
    ),
    key=("AEKEY",),
    partition_by="fy",
    allowed={
        "AEARRIVALMODE": AEARRIVALMODE,
        "AEREFSOURCE": AEREFSOURCE,
        "AEATTENDCAT": AEATTENDCAT,
        "AEATTENDDISP": AEATTENDDISP,
        "AEDEPTTYPE": AEDEPTTYPE,
    },
    patterns={"RESLADST_ONS": RESIDENCE_PATTERN},
    served=False,
)

RECORD_TABLES: dict[str, Table] = {HES_APC.name: HES_APC, HES_AE.name: HES_AE}
AGE_COLUMN = {"hes_apc": "STARTAGE", "hes_ae": "ARRIVALAGE"}
DATE_COLUMNS = {
    "hes_apc": ("ADMIDATE", "EPISTART", "EPIEND", "DISDATE"),
    "hes_ae": ("ARRIVALDATE",),
}
PARTITION_DATE = {"hes_apc": "EPIEND", "hes_ae": "ARRIVALDATE"}  # HES years run by episode end


def fy_label(financial_year: int) -> str:
    """Partition value of a financial year: 2016 -> ``2016-17``."""
    return f"{financial_year}-{(financial_year + 1) % 100:02d}"


def valid_age(age: int) -> bool:
    return 0 <= age <= AGE_MAX or age in INFANT_AGES
