from urllib.parse import quote

from dashboard.charts.svg_uri import PREFIX, SAFE, data_uri, percent_encoded


def test_encodes_as_urllib_quote_does():
    every_byte = "".join(chr(code) for code in range(256))
    text = every_byte + '<svg viewBox="0 0 1 1"><title>Trend – 95 % CI ≥ £1,000 😀</title></svg>'
    assert percent_encoded(text) == quote(text, safe=SAFE)


def test_data_uri_is_the_prefix_and_the_encoded_document():
    assert data_uri("<svg/>") == PREFIX + "%3Csvg/%3E"
