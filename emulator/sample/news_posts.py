"""The ordinary news of the sample: intranet news for everyone, plus a few school and HR posts.

Each post is (page name, author, title, description, paragraphs, aside); the aside becomes the
searchable text of a web part.
"""

from __future__ import annotations

from emulator.sample import people as p

Post = tuple[str, str, str, str, tuple[str, ...], str]

INTRANET_POSTS: tuple[Post, ...] = (
    ("velkommen-til-det-nye-intranet", p.EDITOR, "Velkommen til det nye intranet",
     "Intranettet har fået nyt design og en søgning, der finder både nyheder og dokumenter.",
     ("Fra i dag finder du nyheder, vejledninger og politikker samme sted. Søgningen viser kun "
      "det, du har adgang til i SharePoint.",
      "Giv os gerne besked, hvis du savner noget. Vi udvikler intranettet løbende."),
     "Læs mere om, hvordan du bruger søgningen og gemmer dine favoritsider."),
    ("borgerservice-julen", p.EDITOR, "Borgerservice holder ændrede åbningstider i julen",
     "Borgerservice på rådhuset holder lukket mellem jul og nytår.",
     ("Borgerservice holder lukket fra den 24. december til og med den 1. januar. Borgere kan "
      "bestille pas og kørekort via selvbetjening i hele perioden.",
      "Husk at henvise borgerne til hjemmesiden, hvis de ringer med spørgsmål."),
     "Se de fulde åbningstider for borgerservice, biblioteker og genbrugspladser."),
    ("budget-2026-vedtaget", p.MANAGER, "Byrådet har vedtaget budget 2026",
     "Budgettet sikrer flere hænder i ældreplejen og en ny skole i Nørreby.",
     ("Byrådet vedtog budget 2026 med et bredt flertal. Der er afsat 14 millioner kroner ekstra "
      "til ældreplejen og 3 millioner til vedligeholdelse af skolernes bygninger.",
      "Budgetaftalen betyder ingen afskedigelser. Økonomiafdelingen holder informationsmøder "
      "for lederne i januar."),
     "Budgetaftalen og bilagene ligger på økonomiafdelingens side."),
    ("ny-kommunaldirektoer", p.EDITOR, "Sundby Kommune får ny kommunaldirektør",
     "Henrik Vestergaard tiltræder som kommunaldirektør den 1. marts.",
     ("Henrik Vestergaard kommer fra en stilling som direktør i Region Midtjylland. Han har "
      "tidligere arbejdet med digitalisering og borgerservice.",
      "Der bliver holdt en velkomstreception i rådhushallen, hvor alle er velkomne."),
     "Mød den nye kommunaldirektør til reception i rådhushallen."),
    ("influenzavaccination", p.HR, "Gratis influenzavaccination til alle ansatte",
     "Kommunen tilbyder igen i år gratis vaccination mod influenza.",
     ("Vaccinationen foregår på rådhuset og på de store plejecentre i uge 42 og 43. Du skal ikke "
      "bestille tid, men husk dit sundhedskort.",
      "Ansatte i hjemmeplejen kan blive vaccineret i arbejdstiden."),
     "Se tider og steder for vaccination på HR-sitet."),
    ("vi-cykler-til-arbejde", p.EDITOR, "Vi cykler til arbejde i maj",
     "Sæt holdet og deltag i den landsdækkende kampagne.",
     ("Kampagnen løber hele maj. Alle afdelinger kan stille med hold, og der er præmier til de "
      "hold, der cykler flest dage.",
      "Der er nye cykelparkeringer ved rådhuset og ved Sundby Skole."),
     "Tilmeld dit hold senest den 25. april."),
    ("hjemmearbejde-ny-ordning", p.HR, "Ny ordning for hjemmearbejde",
     "Fra 1. februar kan du arbejde hjemme op til to dage om ugen efter aftale med din leder.",
     ("Ordningen gælder for stillinger, hvor arbejdet kan udføres hjemmefra. Aftalen skal "
      "skrives ned og gennemgås ved den årlige udviklingssamtale.",
      "Husk at arbejdsmiljøreglerne også gælder hjemme, og at kommunens IT-udstyr skal bruges."),
     "Læs politikken for hjemmearbejde på HR-sitet."),
    ("sommerfest-2025", p.EDITOR, "Sommerfest for alle medarbejdere",
     "Fredag den 20. juni holder vi sommerfest i Rådhusparken.",
     ("Der er musik, mad fra lokale leverandører og aktiviteter for børn. Festen starter kl. "
      "15 og slutter, når den sidste gæst går hjem.",
      "Tilmelding sker via din afdelingsleder."),
     "Husk tilmelding til sommerfesten senest den 6. juni."),
    ("affaldssortering-raadhuset", p.TECHNICIAN, "Ny affaldssortering på rådhuset",
     "Der kommer sorteringsstationer med ti fraktioner på alle etager.",
     ("Fra uge 36 sorterer vi i madaffald, papir, pap, plast, metal, glas og restaffald. "
      "Driftsteknikerne opsætter stationerne i løbet af weekenden.",
      "Skraldespandene ved skrivebordene bliver fjernet."),
     "Se sorteringsvejledningen med billeder af alle fraktioner."),
    ("pas-paa-phishing", p.IT_ADMIN, "Pas på falske mails om løn",
     "IT har set en bølge af phishing-mails, der udgiver sig for at komme fra lønkontoret.",
     ("Mailene beder dig logge ind for at se din lønseddel. Klik ikke på linket. Lønsedler "
      "findes kun i e-Boks.",
      "Har du klikket, så skift din adgangskode og kontakt IT-support med det samme."),
     "Kontakt IT-support på telefon 4000 1234, hvis du er i tvivl om en mail."),
    ("elbiler-hjemmeplejen", p.EDITOR, "Hjemmeplejen kører nu i elbiler",
     "24 nye elbiler erstatter de gamle benzinbiler i hjemmeplejen.",
     ("Bilerne lader på de nye ladestandere ved plejecentrene. Social- og sundhedshjælperne "
      "har fået en kort introduktion til opladning.",
      "Udskiftningen sparer kommunen for omkring 90 ton CO2 om året."),
     "Læs guiden til opladning af elbilerne."),
    ("ny-legeplads-sundby-skole", p.MANAGER, "Ny legeplads ved Sundby Skole",
     "Eleverne har selv været med til at designe den nye legeplads.",
     ("Legepladsen har klatrestativ, boldbur og et udekøkken, som også bruges i undervisningen "
      "i natur og teknologi.",
      "Den officielle indvielse er fredag kl. 10 med deltagelse af borgmesteren."),
     "Se billeder fra byggeriet og tegningerne, eleverne lavede."),
    ("kantinen-ny-leverandoer", p.EDITOR, "Kantinen skifter leverandør",
     "Fra 1. september leverer Grøn Gaffel maden i kantinen på rådhuset.",
     ("Den nye leverandør bruger flere økologiske råvarer og har en grøn ret hver dag. "
      "Priserne er uændrede.",
      "Menuplanen for ugen kan ses på intranettet hver fredag."),
     "Se ugens menuplan i dokumentbiblioteket."),
    ("vejarbejde-havnevej", p.TECHNICIAN, "Vejarbejde på Havnevej i tre uger",
     "Havnevej er spærret for gennemkørsel mellem Torvet og Stationsvej.",
     ("Vej og park udskifter kloakrør og lægger ny asfalt. Medarbejdere, der parkerer ved "
      "havnen, skal bruge indkørslen fra Stationsvej.",
      "Busserne kører en omvej, og stoppestedet ved Torvet er flyttet."),
     "Se kort over omkørslen."),
    ("kursus-teams-onedrive", p.IT_ADMIN, "Kom godt i gang med Teams og OneDrive",
     "IT holder korte kurser for alle, der vil blive bedre til Teams og OneDrive.",
     ("Kurserne varer en time og foregår online. Du lærer at dele filer sikkert, holde møder og "
      "samarbejde i kanaler.",
      "Der er også et kursus for ledere om opsætning af teams for deres afdeling."),
     "Tilmeld dig et kursus i kursuskalenderen."),
    ("jubilaeum-25-aar", p.HR, "Tillykke med 25 års jubilæum",
     "Tre kolleger kan i denne måned fejre 25 års jubilæum i kommunen.",
     ("Vi ønsker tillykke til Karen i vej og park, Niels i borgerservice og Hanne i "
      "hjemmeplejen. De fejres med reception i deres afdelinger.",
      "HR sender invitationer ud til kollegerne."),
     "Send en hilsen til jubilarerne."),
    ("frivillige-digital-hjaelp", p.EDITOR, "Frivillige hjælper ældre med det digitale",
     "Biblioteket åbner en digital café, hvor frivillige hjælper med MitID og e-Boks.",
     ("Caféen har åbent hver tirsdag. Social- og sundhedshjælpere kan henvise borgere, der har "
      "brug for hjælp til selvbetjening.",
      "Der søges flere frivillige, gerne med erfaring fra undervisning."),
     "Henvis borgere til den digitale café på biblioteket."),
    ("makerspace-biblioteket", p.EDITOR, "Biblioteket åbner makerspace",
     "Nu kan borgere og skoleklasser bruge 3D-printere og laserskærer på hovedbiblioteket.",
     ("Makerspacet er åbent for alle med lånerkort. Lærere kan booke det til klasser om "
      "formiddagen.",
      "Biblioteket tilbyder introduktionskurser hver anden torsdag."),
     "Book makerspacet til din klasse."),
    ("hoering-skolestruktur", p.MANAGER, "Høring om ny skolestruktur",
     "Forslaget om at samle udskolingen på to skoler er sendt i høring.",
     ("Høringen løber til den 15. marts. Skolebestyrelser, elevråd og faglige organisationer "
      "kan sende høringssvar.",
      "Der holdes borgermøde på Sundby Skole den 2. marts."),
     "Læs høringsmaterialet og send dit svar."),
    ("energibesparelser", p.TECHNICIAN, "Sådan sparer vi på energien i kommunens bygninger",
     "Nye varmestyringer og LED-belysning skal halvere energiforbruget.",
     ("Driftsteknikerne installerer varmestyring på alle skoler og plejecentre. Temperaturen "
      "sænkes automatisk om natten og i weekenden.",
      "Meld fejl på varme og ventilation via driftsportalen."),
     "Meld fejl på varme, lys og ventilation til driften."),
    ("klimaplan-2030", p.EDITOR, "Klimaplan 2030 er vedtaget",
     "Sundby Kommune vil være CO2-neutral som organisation i 2030.",
     ("Planen omfatter elbiler, energirenovering af bygninger og mere plantebaseret mad i "
      "kantinerne og på plejecentrene.",
      "Alle afdelinger skal udpege en klimaambassadør."),
     "Læs hele klimaplanen og find din afdelings mål."),
    ("friluftsbadet-aabner", p.EDITOR, "Friluftsbadet åbner for sæsonen",
     "Havnebadet åbner lørdag med livreddere og gratis morgensvømning.",
     ("Badet har åbent hver dag fra kl. 7 til 20 i sommerferien. Kommunens ansatte kan låne "
      "badehytter til personalearrangementer.",
      "Husk at vandkvaliteten kan følges på kommunens hjemmeside."),
     "Se åbningstider og vandkvalitet."),
    ("mitid-support", p.EDITOR, "Borgerservice hjælper med MitID",
     "Mange borgere har brug for hjælp til at flytte MitID til en ny telefon.",
     ("Borgerservice har oprettet en ekstra skranke til MitID. Medarbejdere i hjemmeplejen kan "
      "tilbyde at booke en tid for borgeren.",
      "Husk at borgeren skal medbringe gyldigt pas eller kørekort."),
     "Book en tid til MitID-hjælp for en borger."),
    ("apv-2026", p.HR, "Ny arbejdspladsvurdering i foråret",
     "Alle arbejdspladser skal gennemføre en APV i marts og april.",
     ("APV'en handler både om det fysiske og det psykiske arbejdsmiljø. Arbejdsmiljørepræsentanten "
      "og lederen gennemgår resultaterne sammen med kollegerne.",
      "Handlingsplanen skal være færdig inden sommerferien."),
     "Find skabelonen til handlingsplanen på HR-sitet."),
    ("sygemelding-ny-procedure", p.HR, "Ny procedure for sygemelding",
     "Fra 1. april melder du dig syg i personaleportalen og til din nærmeste leder.",
     ("Du skal melde dig syg inden kl. 8 på første sygedag. Ved fravær over 14 dage indkalder "
      "lederen til en sygefraværssamtale.",
      "Procedurens detaljer står i sygefraværspolitikken."),
     "Læs sygefraværspolitikken."),
    ("ny-hjemmeside", p.EDITOR, "Kommunens hjemmeside er relanceret",
     "Sundby.dk har fået ny struktur med fokus på selvbetjening.",
     ("Borgerne finder nu de mest brugte selvbetjeningsløsninger direkte på forsiden. Siden "
      "lever op til kravene om webtilgængelighed.",
      "Redaktørerne i afdelingerne får adgang til det nye redaktørsystem i næste uge."),
     "Bliv redaktør for din afdelings sider."),
    ("international-colleagues", p.EDITOR, "Welcome to our international colleagues",
     "Eight new colleagues from abroad have started in elderly care and at the schools.",
     ("Please help them feel welcome. Most of them are taking Danish lessons, so speak slowly "
      "and be patient.",
      "A welcome guide in English explains payslips, holidays and how to book a doctor."),
     "Read the welcome guide for international staff."),
    ("parking-town-hall", p.TECHNICIAN, "New parking rules at the town hall",
     "From next month, staff parking moves to the car park behind the library.",
     ("The spaces in front of the town hall will be reserved for citizens and disabled "
      "parking. Staff need a parking permit, which is issued by the service desk.",
      "Electric car chargers are available in the new staff car park."),
     "Apply for a staff parking permit."),
    ("cyber-security-month", p.IT_ADMIN, "October is cyber security awareness month",
     "Short daily tips on passwords, phishing and safe use of USB sticks.",
     ("Every day in October the IT department will post a short tip. Complete the online quiz "
      "and win a prize for your team.",
      "Remember that multi-factor authentication is required for all staff accounts."),
     "Take the security quiz."),
    ("green-municipality-award", p.EDITOR, "Sundby wins national award for green transition",
     "The municipality received the award for its electric care fleet and energy savings.",
     ("The jury highlighted the cooperation between the care staff and the technical "
      "department. The prize money will be spent on bicycles for the home care teams.",
      "The award was presented by the minister at the annual climate conference."),
     "See the jury statement."),
    ("language-cafe", p.HR, "English language café for staff",
     "Practise your English with colleagues every Thursday in the canteen.",
     ("The café is informal and open to everyone. Our international colleagues help with "
      "pronunciation and everyday phrases.",
      "Coffee and cake are provided by the staff association."),
     "Join the language café on Thursdays at 14:00."),
)

OTHER_POSTS: dict[str, tuple[Post, ...]] = {
    "skoler": (
        ("skolestart-2025", p.MANAGER, "Godt i gang med det nye skoleår",
         "Tak for en god skolestart. Her er de vigtigste datoer for efteråret.",
         ("Forældremøderne holdes i uge 35 og 36. Husk at lægge årsplanerne i biblioteket "
          "Undervisning, så kollegerne kan finde dem.",
          "Den fælles pædagogiske dag er fredag i uge 43."),
         "Se skolekalenderen for 2025-2026."),
        ("terminsproever", p.TEACHER, "Terminsprøver for 9. klasse",
         "Terminsprøverne holdes i uge 3. Lærerne får opgaverne fra skolekontoret.",
         ("Eleverne skal have adgang til computere uden internet under de skriftlige prøver. "
          "Skemaerne bliver justeret i prøveugen.",
          "Tilsynsplanen sendes ud i december."),
         "Se tilsynsplanen for terminsprøverne."),
        ("lejrskole-bornholm", p.TEACHER_2, "8. årgang på lejrskole på Bornholm",
         "Eleverne tager på lejrskole i uge 38 med fokus på natur og geologi.",
         ("Turen er planlagt i samarbejde med naturskolen. Forældrene har fået en pakkeliste.",
          "Der er brug for to ekstra voksne som hjælpere."),
         "Meld dig som hjælper på lejrskolen."),
    ),
    "hr": (
        ("loenforhandling-2026", p.HR, "Lønforhandlingerne 2026 er gået i gang",
         "Tidsplan for den lokale løndannelse i 2026.",
         ("Tillidsrepræsentanterne og lederne mødes i februar. Aftalerne forventes på plads "
          "inden udgangen af april.",
          "Spørgsmål kan rettes til HR."),
         "Se tidsplanen for lønforhandlingerne."),
        ("ny-personalehaandbog", p.HR, "Personalehåndbogen er opdateret",
         "Den nye personalehåndbog samler alle regler om ferie, fravær og hjemmearbejde.",
         ("Håndbogen er skrevet i et enklere sprog og kan læses af alle ansatte.",
          "Giv HR besked, hvis du finder fejl."),
         "Læs personalehåndbogen."),
    ),
}

ENGLISH = frozenset({"international-colleagues", "parking-town-hall", "cyber-security-month",
                     "green-municipality-award", "language-cafe"})
