"""Small stop-word lists (en, de, fr, es, pt): function words that carry no topic."""

from __future__ import annotations

from functools import cache

_EN = """
a about above after again against all almost also although always am among an and another
any anyone anything are around as at be became because become been before being below
between both but by can cannot could did do does doing done down during each either else
even ever every few for from further get gets got had has have having he her here hers
herself him himself his how however i if in into is it its itself just least less like made
make many may me might more most much must my myself neither never no nor not now of off
often on once one only or other others our ours ourselves out over own per perhaps put
rather really said same say says see seen shall she should since so some something still
such than that the their theirs them themselves then there these they this those though
through thus to too toward towards under until up upon us use used very via was way we
well were what whatever when where whether which while who whom whose why will with within
without would yet you your yours yourself yourselves mr mrs ms told according also just
s t don didn doesn isn wasn won can't it's i'm he's she's we're they're that's there's
"""

_DE = """
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
anderes auch auf aus bei bin bis bist da damit dann das dass dem den denn der des dich die
dies diese diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer
eines er es etwas euch euer für gegen gewesen hab habe haben hat hatte hatten hier hin
hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in indem ins ist jede jedem
jeden jeder jedes jene jetzt kann kein keine können könnte machen man manche mehr mein
meine mit muss musste nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem
seinen seiner sich sie sind so solche soll sollte sondern sonst über um und uns unser
unter viel vom von vor wann war waren warum was weil weiter welche wenn wer werde werden
wie wieder will wir wird wo wurde wurden zu zum zur zwar zwischen sagte laut
"""

_FR = """
a afin ai aie aient ainsi alors au aucun aucune aujourd auprès aussi autre autres aux avaient
avais avait avant avec avez avoir avons c ça car ce ceci cela celle celles celui cependant
certains ces cet cette ceux chaque chez comme comment d dans de depuis des deux doit donc
dont du elle elles en encore entre est et été être eu eux fait faire fois font hors il ils
j je jusqu l la le les leur leurs lors lui m ma mais me même mes moi moins mon n ne ni nos
notre nous on ont ou où par parce pas peu peut plus plusieurs pour pourquoi puis qu quand que
quel quelle quelles quels qui quoi s sa sans se selon ses si sinon soit son sont sous sur t
ta tandis te tes toi ton tous tout toute toutes très tu un une vers voici voilà vos votre
vous y a-t-il selon déjà
"""

_ES = """
a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante
e el él ella ellas ellos en entre era erais eran eras eres es esa esas ese eso esos esta
está están estas este esto estos fue fueron ha han hasta hay la las le les lo los más me mi
mientras muy nada ni no nos nosotros o os otra otras otro otros para pero poco por porque
que qué quien quienes se sea sean según ser si sí sido sin sobre son su sus también tan te
tiene tienen toda todas todo todos tu tú un una unas uno unos y ya yo dijo además
"""

_PT = """
a à ao aos aquela aquelas aquele aqueles aquilo as às até com como da das de dela delas dele
deles depois do dos e é ela elas ele eles em entre era eram essa essas esse esses esta está
estão estas este estes eu foi foram há isso isto já lhe lhes mais mas me mesmo meu minha
muito na não nas nem no nos nós num numa o os ou para pela pelas pelo pelos por porque qual
quando que quem se seja sem ser seu seus só sua suas também te tem têm teu tu um uma umas
uns você vocês disse segundo ainda
"""

_LISTS = {"en": _EN, "de": _DE, "fr": _FR, "es": _ES, "pt": _PT}


@cache
def stopwords(language: str = "en") -> frozenset[str]:
    """Lower-case stop words of a language (ISO 639-1); English for languages we lack."""
    return frozenset(_LISTS.get(language.lower()[:2], _EN).split())
