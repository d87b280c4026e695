"""A small French issue (three stories) that build tests share."""

ISSUE = """<!DOCTYPE html><html lang="fr"><head><title>Lettre n°7</title>
<meta property="og:site_name" content="La Lettre Test"/>
<meta property="article:published_time" content="2025-10-01T06:00:00Z"/></head>
<body><article><h1>Trois nouvelles de la semaine</h1>
<p>Bonjour à toutes et à tous,</p>
<p>Une semaine calme, mais trois nouvelles à retenir.</p>
<h2>1. Un modèle ouvert</h2><p>Un laboratoire publie un modèle de langage ouvert et gratuit.</p>
<h2>2. Une loi européenne</h2><p>Le Parlement adopte un texte sur l'intelligence artificielle.</p>
<h2>3. Un outil de réunion</h2><p>Un nouvel assistant résume vos réunions en quelques secondes.</p>
</article></body></html>"""
