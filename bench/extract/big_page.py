#!/usr/bin/env python3
"""Writes an invented news page of about 1 MB of HTML (OUT, default
big.html) for timing `chronicle import`: a page head with metadata and
JSON-LD, navigation, a cookie banner, a share bar, then paragraphs of
report text with captions and related-story lists among them."""
import random
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "big.html"
size = int(sys.argv[2]) if len(sys.argv) > 2 else 1 << 20
rng = random.Random(15)
subjects = ["The ministry", "Rescue crews", "The harbour master", "Local officials",
            "Engineers", "The mayor", "Aid agencies", "Witnesses"]
verbs = ["said on Tuesday that", "told reporters that", "confirmed that",
         "warned that", "announced that", "reported that"]
clauses = ["the convoy had reached the port before dawn",
           "the road through the valley would stay closed for a week",
           "a second team was on its way from the capital",
           "the water had fallen below the flood walls overnight",
           "more shelters would open in the schools of the district",
           "the talks would resume after the weekend"]


def sentence():
    return f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(clauses)}."


head = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Long report on the relief effort | Example Courier</title>
<meta property="og:site_name" content="Example Courier">
<meta property="article:published_time" content="2022-07-22T14:05:00Z">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Long report on the relief effort"}</script>
</head><body>
<div class="cookie-banner"><p>We use cookies. <button>Accept</button></p></div>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<main><article><h1>Long report on the relief effort</h1>
<div class="share-bar"><a>Facebook</a> <a>Twitter</a></div>
"""
parts = [head]
n = 0
while sum(len(p) for p in parts) < size - 200:
    n += 1
    parts.append("<p>" + " ".join(sentence() for _ in range(4)) + "</p>\n")
    if n % 25 == 0:
        parts.append('<figure><img src="a.jpg"><figcaption>Crews at work. Photo: Example</figcaption></figure>\n')
    if n % 60 == 0:
        parts.append('<aside class="related"><ul><li><a>Other story</a></li><li><a>Another story</a></li></ul></aside>\n')
parts.append("</article></main><footer>© 2022 Example Courier</footer></body></html>\n")
with open(out, "w") as f:
    f.write("".join(parts))
print(f"{out}: {sum(len(p) for p in parts)} bytes, {n} paragraphs")
