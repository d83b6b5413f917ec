"""The demo's content in the demo organisation's language (`seed_demo --language`).

The content is written once, in teams/demo.py and reflections/demo.py, partly in English and
partly in Finnish; `say` gives each text in the language asked for. A language without a table
here keeps the texts as written."""

# English texts of the demo, in Finnish.
FI = {
    "Customer service: learning from every customer contact.": (
        "Asiakaspalvelu: opimme jokaisesta asiakaskohtaamisesta."
    ),
    "Software development: building the product and learning new tools.": (
        "Ohjelmistokehitys: rakennamme tuotetta ja opettelemme uusia työkaluja."
    ),
    "Data and analytics: turning data into decisions.": (
        "Data ja analytiikka: teemme datasta päätöksiä."
    ),
    "Customer at the centre": "Asiakas keskiössä",
    "Every team learns to see its work through the customer's eyes.": (
        "Jokainen tiimi oppii katsomaan työtään asiakkaan silmin."
    ),
    "Data-driven decisions": "Tietoon perustuvat päätökset",
    "We decide from evidence and make our reasoning visible.": (
        "Päätämme näytön perusteella ja teemme päättelymme näkyväksi."
    ),
    "Sustainable ways of working": "Kestävät työtavat",
    "Workload we can carry and work that lasts.": "Kuorma, jonka jaksamme, ja työ, joka kestää.",
    "Learning together": "Yhdessä oppiminen",
    "We share what we learn while it is still unfinished.": (
        "Jaamme oppimamme jo silloin, kun se on vielä keskeneräistä."
    ),
    "Calm handling of difficult calls": "Vaikeiden puheluiden rauhallinen hoitaminen",
    "A third of our calls are complaints; handling them well keeps customers and us well.": (
        "Kolmannes puheluistamme on valituksia; kun hoidamme ne hyvin, asiakkaat ja me voimme "
        "hyvin."
    ),
    "Answers from the knowledge base": "Vastaukset tietopankista",
    "Customers wait less when we find answers fast and keep the base up to date.": (
        "Asiakkaat odottavat vähemmän, kun löydämme vastaukset nopeasti ja pidämme tietopankin "
        "ajan tasalla."
    ),
    "Reading the feedback data": "Palautedatan lukeminen",
    "We collect feedback every day but rarely look at what it says as a whole.": (
        "Keräämme palautetta joka päivä, mutta katsomme harvoin, mitä se kertoo kokonaisuutena."
    ),
    "Test-first development": "Testit ensin -kehitys",
    "Fewer production bugs means fewer evenings spent firefighting.": (
        "Vähemmän tuotantovirheitä tarkoittaa vähemmän iltoja tulipalojen sammuttamisessa."
    ),
    "Understanding how customers use the product": (
        "Ymmärrys siitä, miten asiakkaat käyttävät tuotetta"
    ),
    "We build better when we see real use, not just tickets.": (
        "Rakennamme paremmin, kun näemme oikeaa käyttöä emmekä vain tikettejä."
    ),
    "Migrating to the new build tool": "Siirtyminen uuteen käännöstyökaluun",
    "The old one is no longer maintained.": "Vanhaa ei enää ylläpidetä.",
    "Explaining results to non-specialists": "Tulosten selittäminen muille kuin asiantuntijoille",
    "An analysis helps only when the people deciding understand it.": (
        "Analyysista on apua vain, kun päättäjät ymmärtävät sen."
    ),
    "Data quality checks": "Datan laadun tarkistukset",
    "Wrong numbers cost trust that takes months to win back.": (
        "Väärät luvut maksavat luottamusta, jonka takaisin voittaminen vie kuukausia."
    ),
    "Stay calm when a customer is angry": "Pysyä rauhallisena, kun asiakas on vihainen",
    "I notice I speed up and start defending myself. I want to listen first.": (
        "Huomaan kiihdyttäväni tahtia ja alkavani puolustautua. Haluan kuunnella ensin."
    ),
    "Recorded myself in a practice call. Hard to listen to.": (
        "Nauhoitin itseni harjoituspuhelussa. Vaikea kuunnella."
    ),
    "Used a pause before answering twice this week.": (
        "Pidin tauon ennen vastaamista kahdesti tällä viikolla."
    ),
    "A long complaint call went well; I summarised before answering.": (
        "Pitkä valituspuhelu meni hyvin; tein yhteenvedon ennen vastaamista."
    ),
    "Still rushing on Mondays when the queue is long.": (
        "Kiirehdin yhä maanantaisin, kun jono on pitkä."
    ),
    "Aino asked me how I handle the hard ones. That felt good.": (
        "Aino kysyi, miten hoidan vaikeat puhelut. Se tuntui hyvältä."
    ),
    "Sit in on user interviews": "Osallistua käyttäjähaastatteluihin",
    "I write the code but have never seen a customer use it.": (
        "Kirjoitan koodin, mutta en ole koskaan nähnyt asiakkaan käyttävän sitä."
    ),
    "Asked to join the next interview round.": (
        "Pyysin päästä mukaan seuraavalle haastattelukierrokselle."
    ),
    "Joined one interview. Surprised how differently people read the menus.": (
        "Olin mukana yhdessä haastattelussa. Yllätyin, miten eri tavoin ihmiset lukevat valikoita."
    ),
    "Speak up in larger meetings": "Puhua isommissa kokouksissa",
    "I have ideas but stay quiet when there are more than five people.": (
        "Minulla on ideoita, mutta olen hiljaa, kun paikalla on yli viisi ihmistä."
    ),
    "Said one thing in the all-hands. Heart racing.": (
        "Sanoin yhden asian koko talon infossa. Sydän hakkasi."
    ),
    "Easier this time.": "Helpompaa tällä kertaa.",
    "Say no to a customer kindly": "Sanoa asiakkaalle ei ystävällisesti",
    "I promise too much when a customer pushes, and then we cannot keep it.": (
        "Lupaan liikaa, kun asiakas painostaa, emmekä sitten pysty pitämään lupausta."
    ),
    "Practised two phrases with Aino.": "Harjoittelin kahta fraasia Ainon kanssa.",
    "Fell back to promising on a busy day.": "Lipsahdin lupailemaan kiireisenä päivänä.",
    "Hard week; I did not try it at all.": "Raskas viikko; en kokeillut sitä lainkaan.",
    "De-escalation phrases that sound like me": "Rauhoittavat fraasit, jotka kuulostavat minulta",
    "The scripted phrases feel fake to me and customers notice.": (
        "Valmiit fraasit tuntuvat minusta teennäisiltä, ja asiakkaat huomaavat sen."
    ),
    "Wrote down what I actually say.": "Kirjoitin ylös, mitä oikeasti sanon.",
    "Shared my list in the session.": "Jaoin listani pohdintahetkessä.",
    "Write one knowledge base article a week": "Kirjoittaa yksi tietopankkiartikkeli viikossa",
    "I answer the same questions again and again.": "Vastaan samoihin kysymyksiin yhä uudelleen.",
    "First article done.": "Ensimmäinen artikkeli valmis.",
    "Three articles now.": "Nyt kolme artikkelia.",
    "Learn the search syntax properly": "Opetella hakusyntaksi kunnolla",
    "I lose minutes on every call looking for things.": (
        "Menetän minuutteja jokaisessa puhelussa asioiden etsimiseen."
    ),
    "Saved searches help a lot.": "Tallennetut haut auttavat paljon.",
    "Write the test before the fix": "Kirjoittaa testi ennen korjausta",
    "I keep fixing the same kinds of bugs twice.": (
        "Korjaan samanlaisia virheitä yhä kahteen kertaan."
    ),
    "Tried it on one bug.": "Kokeilin yhdessä virheessä.",
    "Habit forming.": "Tapa muodostumassa.",
    "Paired with Oona.": "Työskentelin parina Oonan kanssa.",
    "Read the support tickets every Friday": "Lukea tukitiketit joka perjantai",
    "Tickets tell what hurts customers most.": "Tiketit kertovat, mikä asiakkaita eniten vaivaa.",
    "Found three recurring problems.": "Löysin kolme toistuvaa ongelmaa.",
    "Brought one to planning.": "Toin yhden suunnitteluun.",
    "One picture per finding": "Yksi kuva jokaisesta havainnosta",
    "My reports are long and nobody reads to the end.": (
        "Raporttini ovat pitkiä, eikä kukaan lue niitä loppuun."
    ),
    "Tried a one-page summary.": "Kokeilin yhden sivun yhteenvetoa.",
    "The board asked good questions.": "Johtoryhmä kysyi hyviä kysymyksiä.",
    "Automate the monthly checks": "Automatisoida kuukausittaiset tarkistukset",
    "I do them by hand and sometimes forget one.": "Teen ne käsin ja unohdan joskus jonkin.",
    "First checks scripted.": "Ensimmäiset tarkistukset skriptattu.",
    "Caught a broken import.": "Huomasin rikkinäisen tuonnin.",
    "Tried writing the release notes before the code. It made the scope clearer.": (
        "Kokeilin kirjoittaa julkaisutiedotteen ennen koodia. Rajaus selkeytyi."
    ),
    "Is it OK to spend work time on an online course?": ("Saako verkkokurssiin käyttää työaikaa?"),
    "Yes. Up to four hours a month is part of the work when the course serves your "
    "team's learning goals; agree the timing with your supervisor.": (
        "Saa. Enintään neljä tuntia kuukaudessa kuuluu työhön, kun kurssi palvelee tiimisi "
        "oppimistavoitteita; sovi ajoitus esihenkilösi kanssa."
    ),
    "I learned that a short pause before answering changes the talk.": (
        "Opin, että lyhyt tauko ennen vastaamista muuttaa keskustelun."
    ),
    "Tried the checklist from the session; two steps were unclear.": (
        "Kokeilin pohdintahetken tarkistuslistaa; kaksi vaihetta oli epäselviä."
    ),
}

# Finnish texts of the demo, in English.
EN = {
    "Asiakaspalvelu": "Customer service",
    "Ohjelmistokehitys": "Software development",
    "Data ja analytiikka": "Data and analytics",
    "Viikon oppimishetki": "Weekly learning moment",
    "Retro ja oppiminen": "Retro and learning",
    "Datan äärellä": "Looking at the data",
    "Neuvotteluhuone Oivallus": "Meeting room Insight",
    "Oppia yksi uusi asia viikossa työn lomassa": "Learn one new thing a week while working",
    "Haluan, että oppiminen kuuluu tavalliseen viikkoon.": (
        "I want learning to be part of an ordinary week."
    ),
    "Pyytää palautetta kerran kuussa": "Ask for feedback once a month",
    "Palautteesta näen, mihin kannattaa keskittyä.": "Feedback shows me where to focus.",
    "Jakaa yksi kokeilu tiimille kuukaudessa": "Share one experiment with the team a month",
    "Muiden kokeiluista opin eniten itsekin.": "I learn most from other people's experiments.",
    "Kirjasin viikon oppimisen: kokeilin yhtä uutta asiaa ja kerroin siitä tiimille.": (
        "Noted this week's learning: I tried one new thing and told the team about it."
    ),
    "Pyysin palautetta kollegalta. Sain yhden hyvän vinkin, jota kokeilen seuraavaksi.": (
        "Asked a colleague for feedback. Got one good tip that I'll try next."
    ),
    "Jaoin tiimille kokeilun, joka ei vielä toiminut. Keskustelusta oli apua.": (
        "Shared an experiment with the team that didn't work yet. The discussion helped."
    ),
    "Mietin yhä, miksi sama virhe toistuu perjantaisin. Onko kyse kiireestä vai siitä, "
    "että ohje on vaikea löytää?": (
        "I still wonder why the same mistake happens on Fridays. Is it the rush, or is the "
        "guide hard to find?"
    ),
    "Huomasin saman. Ohje on kolmen klikkauksen takana.": (
        "I noticed the same. The guide is three clicks away."
    ),
    "Voisiko sen nostaa etusivulle?": "Could it go on the front page?",
    "Oivallus: kun kysyin asiakkaalta ensin, mitä hän jo kokeili, puhelu lyheni selvästi.": (
        "Insight: when I first asked the customer what they had already tried, the call got "
        "clearly shorter."
    ),
    "Kokeilen tätä huomenna.": "I'll try this tomorrow.",
    "Kokeilin parityötä katselmoinnissa. Hitaampaa alussa, mutta virheitä löytyi enemmän.": (
        "Tried pairing in code review. Slower at first, but we found more mistakes."
    ),
    "Kuinka pitkiä jaksoja teitte?": "How long were your stretches?",
    "Noin 45 minuuttia, sitten tauko.": "About 45 minutes, then a break.",
    "Keskeneräinen ajatus: pitäisikö meidän kirjata myös epäonnistuneet kokeilut?": (
        "Unfinished thought: should we record the failed experiments too?"
    ),
    "Huomasin, että opin eniten silloin, kun joku kysyi 'miksi' eikä 'miten'.": (
        "I noticed I learn most when someone asks 'why' rather than 'how'."
    ),
    "Sama! Miksi-kysymys pakottaa ajattelemaan.": "Same! A why-question makes you think.",
    "Saako sanoa, jos ei ymmärrä uutta prosessia? Kaikki näyttävät jo osaavan sen.": (
        "Is it OK to say I don't understand the new process? Everyone seems to know it already."
    ),
    "Saa, ja kiitos kun kysyit. Käydään prosessi läpi seuraavassa oppimishetkessä.": (
        "It is, and thank you for asking. Let's go through the process in the next session."
    ),
    "Miten valitsemme, mitä opettelemme seuraavaksi?": "How do we choose what to learn next?",
    "Voisiko oppimishetken pitää joskus etänä?": "Could we sometimes hold the session remotely?",
    "Mistä löydän vanhat kokeilujen tulokset?": "Where do I find the results of old experiments?",
    "Ne ovat tiimin kansiossa kohdassa Kokeilut. Lisään linkin istunnon tietoihin.": (
        "They are in the team folder under Experiments. I'll add a link to the session details."
    ),
    "Tiimi toivoo selkeyttä siihen, miten oppimista järjestetään hybridityössä ja kuka "
    "päättää painopisteistä.": (
        "The team would like clarity on how learning is organised in hybrid work and who "
        "decides the priorities."
    ),
    "Tärkein oppini tänään: kysy ensin, mitä toinen jo tietää.": (
        "My main lesson today: first ask what the other person already knows."
    ),
    "Jäin miettimään, miten saisimme kokeilut näkyviin koko tiimille.": (
        "I keep thinking about how to make experiments visible to the whole team."
    ),
    "Kokeilin tänään uutta tapaa ja kirjaan, miten se meni.": (
        "Tried a new way today and I'm noting how it went."
    ),
    "Vielä keskeneräistä: en tiedä, mikä tässä oikeasti ratkaisee.": (
        "Still unfinished: I don't know what really matters here."
    ),
}

TABLES = {"fi": FI, "en": EN}


def say(text: str, language: str) -> str:
    """The demo text in `language`: translated when a table has it, else as written."""
    return TABLES.get(language, {}).get(text, text)
