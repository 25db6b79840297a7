# Real typography: en dashes in ranges and asides, as people write them.
# ruff: noqa: RUF001
"""What demo customers and agents write, in Polish, Estonian and English.

This is demo content, not interface text: it is never translated, only chosen by the case's
language. A case is about one topic, and its subject and messages all come from that topic.
Placeholders: {name} (customer's first name), {agent} (agent's first name), {order},
{product}, {address}, {number} (case number).
"""

from typing import NotRequired, TypedDict


class LanguageTexts(TypedDict):
    female_first: list[str]
    female_last: list[str]
    male_first: list[str]
    male_last: list[str]
    email_domains: list[str]
    organisations: list[str]
    products: list[str]
    addresses: list[str]
    order_format: str
    notes: list[str]


TEXTS: dict[str, LanguageTexts] = {
    "pl": {
        "female_first": [
            "Anna",
            "Małgorzata",
            "Katarzyna",
            "Agnieszka",
            "Magdalena",
            "Joanna",
            "Zofia",
            "Barbara",
            "Ewa",
            "Żaneta",
            "Łucja",
            "Jolanta",
            "Grażyna",
        ],
        "female_last": [
            "Kowalska",
            "Wiśniewska",
            "Wójcik",
            "Kamińska",
            "Lewandowska",
            "Zielińska",
            "Szymańska",
            "Woźniak",
            "Dąbrowska",
            "Kozłowska",
            "Jankowska",
            "Mazur",
            "Krawczyk",
            "Piątek",
            "Gałązka",
        ],
        "male_first": [
            "Piotr",
            "Krzysztof",
            "Tomasz",
            "Paweł",
            "Michał",
            "Łukasz",
            "Grzegorz",
            "Jędrzej",
            "Mateusz",
            "Bartłomiej",
            "Józef",
            "Ryszard",
        ],
        "male_last": [
            "Nowak",
            "Kowalski",
            "Wiśniewski",
            "Wójcik",
            "Kamiński",
            "Lewandowski",
            "Zieliński",
            "Szymański",
            "Dąbrowski",
            "Kozłowski",
            "Mazur",
            "Krawczyk",
            "Sęk",
            "Żak",
            "Górski",
        ],
        "email_domains": ["gmail.com", "wp.pl", "onet.pl", "o2.pl", "interia.pl"],
        "organisations": [
            "Piekarnia Złoty Kłos sp. z o.o.",
            "Hurtownia Żelazna s.c.",
            "Biuro Rachunkowe Bilans",
            "Przychodnia Zdrowie sp. z o.o.",
            "Szkoła Językowa Lingwista",
            "Kwiaciarnia Różana",
        ],
        "products": [
            "pralka Bosch Serie 6",
            "ekspres do kawy DeLonghi Magnifica",
            "odkurzacz bezprzewodowy Dyson V12",
            "lodówka Samsung RB38",
            "telewizor LG OLED 55",
            "zmywarka Electrolux 600",
        ],
        "addresses": [
            "ul. Długa 12/4, 00-238 Warszawa",
            "ul. Świętojańska 5, 81-368 Gdynia",
            "ul. Piotrkowska 101, 90-425 Łódź",
            "ul. Floriańska 7, 31-019 Kraków",
            "al. Grunwaldzka 82, 80-244 Gdańsk",
            "ul. Źródlana 3, 61-142 Poznań",
        ],
        "order_format": "ZAM/{year}/{serial:06d}",
        "notes": [
            "W WMS: paczka utknęła w sortowni w Strykowie.",
            "Trzecia reklamacja tej osoby w tym roku. Propozycja gestu dobrej woli: darmowa "
            "dostawa przy następnym zamówieniu.",
            "Czekamy na ekspertyzę serwisu, termin 7 dni.",
            "Uzgodniono z kierownikiem: wymiana bez ekspertyzy.",
            "Kontakt wyłącznie mailowy – na prośbę klienta.",
        ],
    },
    "et": {
        "female_first": [
            "Kadri",
            "Liis",
            "Tiiu",
            "Ülle",
            "Mari",
            "Kätlin",
            "Õie",
            "Triin",
            "Piret",
            "Merike",
            "Anneli",
            "Kärt",
        ],
        "female_last": [
            "Kask",
            "Tamm",
            "Saar",
            "Mägi",
            "Sepp",
            "Kõiv",
            "Rebane",
            "Ilves",
            "Pärn",
            "Lepik",
            "Mänd",
            "Põder",
            "Järv",
        ],
        "male_first": [
            "Mart",
            "Jüri",
            "Tõnu",
            "Andres",
            "Märt",
            "Priit",
            "Peeter",
            "Jaan",
            "Toomas",
            "Rein",
            "Kalev",
            "Ülo",
        ],
        "male_last": [
            "Tamm",
            "Saar",
            "Sepp",
            "Mägi",
            "Kask",
            "Kukk",
            "Rebane",
            "Ilves",
            "Õunapuu",
            "Pärn",
            "Lõhmus",
            "Kütt",
            "Vähi",
        ],
        "email_domains": ["gmail.com", "hot.ee", "mail.ee", "online.ee"],
        "organisations": [
            "Mööblipood OÜ",
            "Pärnu Küpsetised AS",
            "Tartu Õpikoda MTÜ",
            "Kõrvemaa Turism OÜ",
            "Saaremaa Villavabrik OÜ",
        ],
        "products": [
            "pesumasin Bosch Serie 6",
            "kohvimasin DeLonghi Magnifica",
            "juhtmeta tolmuimeja Dyson V12",
            "külmik Samsung RB38",
            "teler LG OLED 55",
            "nõudepesumasin Electrolux 600",
        ],
        "addresses": [
            "Pärnu mnt 22-5, 10141 Tallinn",
            "Rüütli 3, 51007 Tartu",
            "Lõuna tn 8, 80010 Pärnu",
            "Jõe 4-12, 10151 Tallinn",
            "Küütri 9, 51007 Tartu",
            "Tallinna mnt 41, 93815 Kuressaare",
        ],
        "order_format": "TELL-{year}-{serial:06d}",
        "notes": [
            "Kontrollisin laosüsteemis – pakk on sorteerimiskeskuses kinni.",
            "Püsiklient, kolmas pretensioon sel aastal. Pakun hea tahte žesti: tasuta tarne "
            "järgmisel tellimusel.",
            "Ootame hoolduse ekspertiisi, tähtaeg 7 päeva.",
            "Juhiga kokku lepitud: vahetus ilma ekspertiisita.",
            "Klient soovib suhtlust ainult e-posti teel.",
        ],
    },
    "en": {
        "female_first": ["Olivia", "Emily", "Charlotte", "Sophie", "Grace", "Hannah", "Chloe"],
        "female_last": ["Smith", "Jones", "Taylor", "Brown", "Williams", "Evans", "Walker"],
        "male_first": ["James", "Oliver", "Harry", "Thomas", "George", "Daniel", "Samuel"],
        "male_last": ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Davies", "Robinson"],
        "email_domains": ["gmail.com", "outlook.com", "yahoo.co.uk", "icloud.com"],
        "organisations": [
            "Northwind Trading Ltd",
            "Baltic Bridge Consulting",
            "Harbour Lane Bakery Ltd",
            "Greenfield Lettings",
        ],
        "products": [
            "Bosch Serie 6 washing machine",
            "DeLonghi Magnifica coffee machine",
            "Dyson V12 cordless vacuum",
            "Samsung RB38 fridge",
            "LG OLED 55 TV",
            "Electrolux 600 dishwasher",
        ],
        "addresses": [
            "14 Baker Street, London NW1 6XE",
            "3 Castle Terrace, Edinburgh EH1 2DP",
            "Narva mnt 7, 10117 Tallinn",
            "ul. Mokotowska 24, 00-561 Warszawa",
        ],
        "order_format": "ORD-{year}-{serial:06d}",
        "notes": [
            "Checked the WMS – the parcel is stuck at the sorting centre.",
            "Regular customer, third complaint this year. Suggest a goodwill gesture: free "
            "delivery on the next order.",
            "Waiting for the service inspection, 7 days.",
            "Agreed with the manager: replace without inspection.",
            "Customer wants contact by email only.",
        ],
    },
}


class Topic(TypedDict):
    """One reason to write: the subject and every text that belongs to it."""

    subject: str
    message: str  # what the customer writes (email, web form, portal)
    call: str  # the agent's note of a call or visit about it
    reply: str  # the agent's first answer
    closing: str  # the agent's last answer
    understanding: NotRequired[str]  # complaints: the paraphrase the customer confirms
    demand: NotRequired[str]  # complaints: Complaint.Demand


def topic(
    subject: str, message: str, call: str, reply: str, closing: str, **complaint: str
) -> Topic:
    topic = Topic(subject=subject, message=message, call=call, reply=reply, closing=closing)
    if complaint:
        topic["understanding"] = complaint["understanding"]
        topic["demand"] = complaint["demand"]
    return topic


# Polish texts avoid words that agree with a gender nobody chose: the customer and the agent
# may be anyone, and a product ("pralka", "telewizor") has its own gender, so it is named
# after a colon or in brackets, never as the subject of a verb.
TOPICS: dict[str, dict[str, list[Topic]]] = {
    "pl": {
        "question": [
            topic(
                "Pytanie o termin dostawy",
                "Dzień dobry,\n\nzamówienie {order} złożone tydzień temu nadal nie ma "
                "informacji o wysyłce. Kiedy mogę spodziewać się paczki?\n\nPozdrawiam\n{name}",
                "Rozmowa w sprawie zamówienia {order}: pytanie o termin dostawy. Sprawdzono "
                "status w systemie magazynowym.",
                "Dzień dobry,\n\ndziękujemy za wiadomość. Zamówienie {order} wyjechało wczoraj z "
                "magazynu i powinno dotrzeć w ciągu 1–2 dni roboczych.\n\nPozdrawiam\n{agent}",
                "Dzień dobry,\n\nwedług przewoźnika paczka z zamówieniem {order} została "
                "doręczona. Zamykam zgłoszenie {number}; w razie pytań wystarczy odpisać na tę "
                "wiadomość.\n\n{agent}",
            ),
            topic(
                "Pytanie o gwarancję",
                "Dzień dobry,\n\npytanie o gwarancję – produkt: {product}. Czy obowiązuje "
                "gwarancja producenta, czy sklepu? Ile trwa?\n\n{name}",
                "Pytanie o gwarancję na urządzenie ({product}). Wyjaśniono: 24 miesiące "
                "gwarancji producenta, karta gwarancyjna jest w opakowaniu.",
                "Dzień dobry,\n\nurządzenie ({product}) ma 24 miesiące gwarancji producenta. "
                "Karta gwarancyjna jest w opakowaniu, a dowodem zakupu jest faktura do "
                "zamówienia {order}.\n\nPozdrawiam\n{agent}",
                "Dzień dobry,\n\nmam nadzieję, że wszystko jest już jasne. Zamykam zgłoszenie "
                "{number}; w razie pytań wystarczy odpisać na tę wiadomość.\n\n{agent}",
            ),
            topic(
                "Status zamówienia się nie zmienia",
                "Dzień dobry,\n\nstatus zamówienia {order} od trzech dni się nie zmienia. "
                "Czy coś jest nie tak?\n\n{name}",
                "Pytanie o zamówienie {order}: status bez zmian od trzech dni. Sprawdzono "
                "w systemie – paczka czeka w sortowni.",
                "Dzień dobry,\n\nsprawdziliśmy zamówienie {order}: paczka czekała w sortowni, "
                "dziś rano trafiła do kuriera.\n\n{agent}",
                "Dzień dobry,\n\npaczka z zamówieniem {order} jest już u kuriera. Zamykam "
                "zgłoszenie {number}.\n\nPozdrawiam\n{agent}",
            ),
            topic(
                "Odbiór osobisty zamówienia",
                "Dzień dobry,\n\nczy mogę odebrać zamówienie {order} osobiście w salonie zamiast "
                "kurierem?\n\n{name}",
                "Pytanie o odbiór osobisty zamówienia {order}. Zmieniono sposób dostawy na "
                "odbiór w salonie.",
                "Dzień dobry,\n\ntak, zmieniliśmy sposób dostawy zamówienia {order} na odbiór "
                "w salonie. Wyślemy SMS, gdy zamówienie będzie gotowe do odbioru.\n\n{agent}",
                "Dzień dobry,\n\nzamówienie {order} czeka na odbiór w salonie przy "
                "ul. Marszałkowskiej 1 w Warszawie. Zamykam zgłoszenie {number}.\n\n{agent}",
            ),
        ],
        "request": [
            topic(
                "Prośba o fakturę VAT",
                "Dzień dobry,\n\nproszę o wystawienie faktury VAT do zamówienia {order} na "
                "firmę. Dane wyślę w kolejnej wiadomości.\n\n{name}",
                "Prośba o fakturę VAT na firmę do zamówienia {order}. Dane firmy przyjdą e-mailem.",
                "Dzień dobry,\n\nchętnie wystawimy fakturę do zamówienia {order}. Prosimy "
                "o nazwę firmy, adres i NIP.\n\n{agent}",
                "Dzień dobry,\n\nfaktura VAT do zamówienia {order} jest w załączniku. Numer "
                "zgłoszenia: {number}.\n\nPozdrawiam\n{agent}",
            ),
            topic(
                "Zmiana adresu dostawy",
                "Dzień dobry,\n\nproszę o zmianę adresu dostawy zamówienia {order} na: "
                "{address}. Dziękuję!\n\n{name}",
                "Prośba o zmianę adresu dostawy zamówienia {order} na: {address}.",
                "Dzień dobry,\n\nprzekazaliśmy nowy adres ({address}) przewoźnikowi i czekamy "
                "na potwierdzenie.\n\n{agent}",
                "Dzień dobry,\n\nadres dostawy zamówienia {order} został zmieniony na: "
                "{address}. Kurier ma już aktualne dane.\n\n{agent}",
            ),
            topic(
                "Prośba o kopię umowy",
                "Dzień dobry,\n\nuprzejmie proszę o przesłanie kopii umowy podpisanej "
                "w zeszłym miesiącu.\n\nZ poważaniem\n{name}",
                "Prośba o kopię umowy z zeszłego miesiąca, do wysłania e-mailem.",
                "Dzień dobry,\n\nzamówiliśmy kopię umowy w archiwum; prześlemy ją w ciągu dwóch "
                "dni roboczych.\n\n{agent}",
                "Dzień dobry,\n\nkopia umowy jest w załączniku. Zamykam zgłoszenie {number}."
                "\n\nPozdrawiam\n{agent}",
            ),
            topic(
                "Zmiana danych kontaktowych",
                "Dzień dobry,\n\nmam nowy numer telefonu, proszę zaktualizować moje dane "
                "kontaktowe.\n\n{name}",
                "Prośba o aktualizację numeru telefonu w danych kontaktowych.",
                "Dzień dobry,\n\nprosimy o podanie nowego numeru telefonu w odpowiedzi na tę "
                "wiadomość.\n\n{agent}",
                "Dzień dobry,\n\nzaktualizowaliśmy dane kontaktowe. Zamykam zgłoszenie "
                "{number}.\n\n{agent}",
            ),
        ],
        "complaint": [
            topic(
                "Reklamacja – uszkodzony towar",
                "Dzień dobry,\n\nurządzenie z zamówienia {order} ({product}) przyszło "
                "z pękniętą obudową, karton był zgnieciony. Proszę o wymianę na nowy "
                "egzemplarz.\n\n{name}",
                "Reklamacja: urządzenie z zamówienia {order} ({product}) dostarczone "
                "z pękniętą obudową. Oczekiwanie: wymiana na nowy egzemplarz.",
                "Dzień dobry,\n\nprzykro nam, że przesyłka dotarła uszkodzona. Aby rozpatrzyć "
                "reklamację, prosimy o zdjęcia uszkodzenia i kartonu.\n\nZ pozdrowieniami\n"
                "{agent}",
                "Dzień dobry,\n\nreklamacja została uznana – nowy egzemplarz ({product}) "
                "wyślemy jutro. Dziękujemy za cierpliwość.\n\n{agent}",
                understanding="Urządzenie dotarło z pękniętą obudową w zgniecionym kartonie. "
                "Oczekiwana jest wymiana na nowy egzemplarz.",
                demand="replacement",
            ),
            topic(
                "Produkt przestał działać",
                "Dzień dobry,\n\nskładam reklamację: urządzenie ({product}) przestało działać "
                "po dwóch tygodniach. Nie włącza się, dioda miga na czerwono. Proszę "
                "o naprawę.\n\n{name}",
                "Reklamacja: urządzenie ({product}) nie włącza się po dwóch tygodniach "
                "używania, dioda miga na czerwono. Poproszono o numer seryjny.",
                "Dzień dobry,\n\nprzykro nam, że urządzenie sprawia kłopot. Prosimy o numer "
                "seryjny i dowód zakupu – wtedy zamówimy odbiór do serwisu.\n\n{agent}",
                "Dzień dobry,\n\nserwis naprawił urządzenie ({product}) w ramach reklamacji; "
                "kurier dostarczy je jutro.\n\nPozdrawiam\n{agent}",
                understanding="Urządzenie przestało działać po dwóch tygodniach: nie włącza "
                "się, dioda miga na czerwono. Oczekiwana jest naprawa.",
                demand="repair",
            ),
            topic(
                "Brak odpowiedzi w sprawie zamówienia",
                "Piszę już trzeci raz w sprawie zamówienia {order} i nikt nie odpowiada! "
                "Żądam zwrotu pieniędzy.\n\n{name}",
                "Trzeci kontakt w sprawie zamówienia {order} bez odpowiedzi. Żądanie: zwrot "
                "pieniędzy.",
                "Dzień dobry,\n\nprzepraszamy za brak odpowiedzi na wcześniejsze wiadomości. "
                "Sprawdzamy zamówienie {order} i najpóźniej jutro wrócimy z decyzją w sprawie "
                "zwrotu.\n\n{agent}",
                "Dzień dobry,\n\nzwrot pieniędzy za zamówienie {order} został zlecony; środki "
                "pojawią się na koncie w ciągu 3–5 dni roboczych.\n\nPozdrawiam\n{agent}",
                understanding="Trzy wiadomości w sprawie zamówienia pozostały bez odpowiedzi. "
                "Oczekiwany jest zwrot pieniędzy.",
                demand="withdrawal",
            ),
            topic(
                "Niekompletna przesyłka – brak ładowarki",
                "Dzień dobry,\n\nw paczce z zamówieniem {order} zabrakło ładowarki. Proszę "
                "o jej dosłanie.\n\n{name}",
                "Reklamacja: w przesyłce z zamówieniem {order} brakowało ładowarki. "
                "Oczekiwanie: dosłanie brakującej części.",
                "Dzień dobry,\n\nprzepraszamy za niekompletną przesyłkę. Sprawdzamy stan "
                "magazynu i potwierdzimy termin wysyłki ładowarki.\n\n{agent}",
                "Dzień dobry,\n\nładowarka do zamówienia {order} została wysłana, numer "
                "przesyłki przyjdzie SMS-em. Dziękujemy za cierpliwość.\n\n{agent}",
                understanding="W przesyłce zabrakło ładowarki. Oczekiwane jest dosłanie "
                "brakującej części.",
                demand="other",
            ),
        ],
        "order": [
            topic(
                "Chcę złożyć zamówienie",
                "Dzień dobry,\n\nchcę zamówić: {product}, z dostawą na adres {address}. Czy "
                "możliwa jest płatność przy odbiorze?\n\n{name}",
                "Zamówienie telefoniczne: {product}, dostawa na adres {address}, płatność "
                "przy odbiorze.",
                "Dzień dobry,\n\ntak, płatność przy odbiorze jest możliwa. Prosimy jeszcze "
                "o potwierdzenie adresu dostawy: {address}.\n\n{agent}",
                "Dzień dobry,\n\nzamówienie zostało przyjęte i jutro wyjedzie z magazynu. "
                "Numer zgłoszenia: {number}.\n\nPozdrawiam\n{agent}",
            ),
            topic(
                "Zamówienie hurtowe",
                "Dzień dobry,\n\nproszę o ofertę na 12 sztuk: {product}. Zamawiamy dla firmy."
                "\n\n{name}",
                "Zapytanie o ofertę hurtową: 12 sztuk ({product}) dla firmy. Oferta do "
                "wysłania e-mailem.",
                "Dzień dobry,\n\ndziękujemy za zapytanie. Oferta na 12 sztuk ({product}) "
                "z rabatem hurtowym jest w załączniku.\n\n{agent}",
                "Dzień dobry,\n\npotwierdzamy zamówienie hurtowe: 12 sztuk ({product}). "
                "Faktura proforma jest w załączniku.\n\n{agent}",
            ),
            topic(
                "Dokupienie akcesoriów",
                "Dzień dobry,\n\nchcę dokupić filtr i dodatkowy wąż do urządzenia ({product})."
                "\n\n{name}",
                "Zamówienie akcesoriów do urządzenia ({product}): filtr i dodatkowy wąż.",
                "Dzień dobry,\n\nfiltr i wąż pasujące do urządzenia ({product}) są dostępne. "
                "Czy wysłać je na adres z zamówienia {order}?\n\n{agent}",
                "Dzień dobry,\n\nakcesoria zostały wysłane na adres z zamówienia {order}. "
                "Zamykam zgłoszenie {number}.\n\n{agent}",
            ),
        ],
        "feedback": [
            topic(
                "Podziękowanie za pomoc",
                "Dzień dobry,\n\ndziękuję za cierpliwość i szybką pomoc przy moim ostatnim "
                "zgłoszeniu. Tak powinna wyglądać obsługa klienta!\n\n{name}",
                "Podziękowanie za szybką pomoc przy poprzednim zgłoszeniu.",
                "Dzień dobry,\n\nbardzo dziękujemy za miłe słowa – przekażemy je całemu "
                "zespołowi.\n\n{agent}",
                "Dzień dobry,\n\njeszcze raz dziękujemy za opinię. Zamykam zgłoszenie {number}."
                "\n\nPozdrawiam\n{agent}",
            ),
            topic(
                "Uwagi do obsługi w salonie",
                "Dzień dobry,\n\nw salonie przy ul. Floriańskiej trzeba było czekać 40 minut, "
                "bo czynne było tylko jedno stanowisko. Może warto to przemyśleć.\n\n{name}",
                "Uwagi do obsługi w salonie przy ul. Floriańskiej: 40 minut oczekiwania, "
                "czynne tylko jedno stanowisko.",
                "Dzień dobry,\n\ndziękujemy za uwagi i przepraszamy za długie oczekiwanie. "
                "Przekazaliśmy je kierownictwu salonu.\n\n{agent}",
                "Dzień dobry,\n\nod przyszłego tygodnia w godzinach szczytu w salonie przy "
                "ul. Floriańskiej będą czynne dwa stanowiska. Dziękujemy za sygnał.\n\n{agent}",
            ),
            topic(
                "Opinia o dostawie",
                "Dostawa szybka, kurier uprzejmy. Jedyny minus: brak powiadomienia SMS.\n\n{name}",
                "Opinia o dostawie: szybko i uprzejmie, ale bez powiadomienia SMS.",
                "Dzień dobry,\n\ndziękujemy za opinię. Sprawdzamy, dlaczego nie dotarło "
                "powiadomienie SMS.\n\n{agent}",
                "Dzień dobry,\n\nnumer telefonu w zamówieniu {order} był niepełny, dlatego "
                "SMS nie dotarł – poprawiliśmy go. Dziękujemy za sygnał.\n\n{agent}",
            ),
        ],
    },
    "et": {
        "question": [
            topic(
                "Küsimus tarneaja kohta",
                "Tere!\n\nEsitasin tellimuse {order} nädal tagasi, aga saatmise kohta pole ikka "
                "infot. Millal pakk kohale jõuab?\n\nLugupidamisega\n{name}",
                "Kõne tellimuse {order} asjus: küsib tarneaega. Kontrollisin laoseisu.",
                "Tere, {name}!\n\nAitäh kirja eest. Tellimus {order} lahkus laost eile ja peaks "
                "kohale jõudma 1–2 tööpäeva jooksul.\n\nParimate soovidega\n{agent}",
                "Tere!\n\nVedaja andmetel on tellimuse {order} pakk kätte toimetatud. Sulgen "
                "pöördumise {number}; küsimuste korral vastake lihtsalt sellele kirjale."
                "\n\n{agent}",
            ),
            topic(
                "Küsimus garantii kohta",
                "Tere!\n\nKas tootel {product} on tootja või poe garantii? Kui pikk see on?"
                "\n\n{name}",
                "Küsimus garantii kohta ({product}). Selgitasin: 24 kuud tootja garantiid, "
                "garantiikaart on karbis.",
                "Tere, {name}!\n\nTootel {product} on 24 kuud tootja garantiid. Garantiikaart on "
                "karbis ja ostu tõendab tellimuse {order} arve.\n\n{agent}",
                "Tere!\n\nLoodan, et kõik on nüüd selge. Sulgen pöördumise {number}; küsimuste "
                "korral vastake lihtsalt sellele kirjale.\n\n{agent}",
            ),
            topic(
                "Tellimuse olek ei muutu",
                "Tere!\n\nTellimuse {order} olek pole kolm päeva muutunud. Kas midagi on "
                "valesti?\n\n{name}",
                "Küsimus tellimuse {order} kohta: olek kolm päeva sama. Süsteemi järgi ootab "
                "pakk sorteerimiskeskuses.",
                "Tere!\n\nKontrollisime tellimust {order}: pakk ootas sorteerimiskeskuses ja on "
                "täna hommikul kulleri käes.\n\n{agent}",
                "Tere!\n\nTellimuse {order} pakk on kulleri käes. Sulgen pöördumise {number}."
                "\n\n{agent}",
            ),
            topic(
                "Tellimuse kättesaamine esindusest",
                "Tere!\n\nKas saan tellimuse {order} esindusest ise kätte, mitte kulleriga?"
                "\n\n{name}",
                "Küsimus tellimuse {order} kättesaamise kohta esindusest. Muutsin "
                "tarneviisiks esinduses kättesaamise.",
                "Tere!\n\nJah, muutsime tellimuse {order} tarneviisiks esinduses kättesaamise. "
                "Saadame SMS-i, kui tellimus on valmis.\n\n{agent}",
                "Tere!\n\nTellimus {order} ootab teid Tallinna esinduses (Viru 1). Sulgen "
                "pöördumise {number}.\n\n{agent}",
            ),
        ],
        "request": [
            topic(
                "Arve ettevõtte nimele",
                "Tere!\n\nPalun väljastage tellimuse {order} kohta arve ettevõtte nimele. "
                "Andmed saadan järgmises kirjas.\n\n{name}",
                "Soovib tellimuse {order} kohta arvet ettevõtte nimele; andmed tulevad e-postiga.",
                "Tere!\n\nVäljastame arve hea meelega. Palun saatke ettevõtte nimi, aadress ja "
                "registrikood.\n\n{agent}",
                "Tere!\n\nTellimuse {order} arve on manuses. Pöördumise number: {number}."
                "\n\n{agent}",
            ),
            topic(
                "Tarneaadressi muutmine",
                "Tere!\n\nPalun muutke tellimuse {order} tarneaadress: {address}. Aitäh!\n\n{name}",
                "Soovib tellimuse {order} tarneaadressi muuta: {address}.",
                "Tere!\n\nEdastasime uue aadressi ({address}) vedajale ja ootame kinnitust."
                "\n\n{agent}",
                "Tere!\n\nTellimuse {order} uus tarneaadress on {address}. Kulleril on uued "
                "andmed.\n\n{agent}",
            ),
            topic(
                "Lepingu koopia",
                "Tere!\n\nPalun saatke mulle eelmisel kuul allkirjastatud lepingu koopia."
                "\n\nLugupidamisega\n{name}",
                "Soovib eelmisel kuul sõlmitud lepingu koopiat e-postiga.",
                "Tere!\n\nTellisime lepingu koopia arhiivist ja saadame selle kahe tööpäeva "
                "jooksul.\n\n{agent}",
                "Tere!\n\nLepingu koopia on manuses. Sulgen pöördumise {number}.\n\n{agent}",
            ),
            topic(
                "Kontaktandmete muutmine",
                "Tere!\n\nMinu telefoninumber muutus, palun uuendage kontaktandmeid.\n\n{name}",
                "Soovib kontaktandmetes telefoninumbrit uuendada.",
                "Tere!\n\nPalun saatke uus telefoninumber vastuseks sellele kirjale.\n\n{agent}",
                "Tere!\n\nUuendasime kontaktandmed. Sulgen pöördumise {number}.\n\n{agent}",
            ),
        ],
        "complaint": [
            topic(
                "Pretensioon – kahjustatud kaup",
                "Tere!\n\n{product} tellimusest {order} saabus katkise korpusega, karp oli "
                "mõlkis. Soovin uut toodet asemele.\n\n{name}",
                "Pretensioon: {product} tellimusest {order} saabus katkise korpusega. Soov: "
                "uus toode asemele.",
                "Tere!\n\nMul on kahju, et saadetis jõudis kohale kahjustatuna. Pretensiooni "
                "menetlemiseks saatke palun fotod kahjustusest ja karbist.\n\nLugupidamisega\n"
                "{agent}",
                "Tere, {name}!\n\nPretensioon on rahuldatud – uus {product} saadetakse homme. "
                "Aitäh kannatlikkuse eest!\n\n{agent}",
                understanding="Toode saabus katkise korpusega ja mõlkis karbis. Klient soovib "
                "asemele uut toodet.",
                demand="replacement",
            ),
            topic(
                "Toode lakkas töötamast",
                "Tere!\n\nEsitan pretensiooni: {product} lakkas kahe nädala pärast töötamast. "
                "Ei lülitu sisse, tuli vilgub punaselt. Palun parandage.\n\n{name}",
                "Pretensioon: {product} ei lülitu kahe nädala järel sisse, tuli vilgub "
                "punaselt. Palusin seerianumbrit.",
                "Tere!\n\nMul on kahju, et seade teeb muret. Palun saatke seerianumber ja "
                "ostutõend, siis tellime seadme hooldusesse.\n\n{agent}",
                "Tere!\n\nHooldus parandas seadme ({product}) pretensiooni korras; kuller toob "
                "selle homme.\n\n{agent}",
                understanding="Seade lakkas kahe nädala pärast töötamast: ei lülitu sisse, "
                "tuli vilgub punaselt. Klient soovib parandust.",
                demand="repair",
            ),
            topic(
                "Tellimusele pole vastatud",
                "Kirjutan tellimuse {order} asjus juba kolmandat korda ja keegi ei vasta! "
                "Nõuan raha tagasi.\n\n{name}",
                "Kolmas pöördumine tellimuse {order} asjus ilma vastuseta. Nõue: raha tagasi.",
                "Tere!\n\nVabandame, et varasematele kirjadele pole vastatud. Kontrollime "
                "tellimust {order} ja anname raha tagastamise kohta otsuse hiljemalt homme."
                "\n\n{agent}",
                "Tere, {name}!\n\nTellimuse {order} raha tagastamine on algatatud; summa "
                "laekub 3–5 tööpäeva jooksul.\n\n{agent}",
                understanding="Kolm kirja tellimuse kohta jäid vastuseta. Klient soovib raha "
                "tagasi.",
                demand="withdrawal",
            ),
            topic(
                "Pakist puudus laadija",
                "Tere!\n\nTellimuse {order} pakist puudus laadija. Palun saatke see järele."
                "\n\n{name}",
                "Pretensioon: tellimuse {order} pakist puudus laadija. Soov: puuduv osa "
                "järele saata.",
                "Tere!\n\nVabandame puuduliku saadetise pärast. Kontrollime laoseisu ja "
                "kinnitame laadija saatmise aja.\n\n{agent}",
                "Tere!\n\nTellimuse {order} laadija on teele pandud, saadetise number tuleb "
                "SMS-iga. Aitäh kannatlikkuse eest!\n\n{agent}",
                understanding="Pakist puudus laadija. Klient soovib puuduva osa järele saatmist.",
                demand="other",
            ),
        ],
        "order": [
            topic(
                "Soovin tellida",
                "Tere!\n\nSoovin tellida toote {product} aadressile {address}. Kas saab maksta "
                "kättesaamisel?\n\n{name}",
                "Telefonitellimus: {product}, tarne aadressile {address}, maksmine kättesaamisel.",
                "Tere!\n\nJah, maksta saab kättesaamisel. Palun kinnitage veel tarneaadress: "
                "{address}.\n\n{agent}",
                "Tere!\n\nTellimus on vastu võetud ja lahkub laost homme. Pöördumise number: "
                "{number}.\n\n{agent}",
            ),
            topic(
                "Hulgitellimus",
                "Tere!\n\nPalun tehke pakkumine 12 tükile: {product}. Tellime ettevõttele."
                "\n\n{name}",
                "Hulgipakkumise päring: 12 tk ({product}) ettevõttele. Pakkumine e-postiga.",
                "Tere!\n\nAitäh päringu eest. Pakkumine 12 tükile ({product}) koos "
                "hulgiallahindlusega on manuses.\n\n{agent}",
                "Tere!\n\nKinnitame hulgitellimuse: 12 tk ({product}). Ettemaksuarve on "
                "manuses.\n\n{agent}",
            ),
            topic(
                "Lisatarvikute tellimine",
                "Tere!\n\nSoovin juurde osta filtri ja lisavooliku seadmele {product}.\n\n{name}",
                "Lisatarvikute tellimus seadmele {product}: filter ja lisavoolik.",
                "Tere!\n\nSeadmele {product} sobivad filter ja voolik on laos. Kas saadame "
                "need tellimuse {order} aadressile?\n\n{agent}",
                "Tere!\n\nLisatarvikud on saadetud tellimuse {order} aadressile. Sulgen "
                "pöördumise {number}.\n\n{agent}",
            ),
        ],
        "feedback": [
            topic(
                "Tänu klienditeenindajale",
                "Tere!\n\nTahan tänada klienditeenindajat {agent} kannatlikkuse ja kiire abi "
                "eest. Just nii peab klienditeenindus käima!\n\n{name}",
                "Tänab kiire abi eest eelmise pöördumise juures.",
                "Tere!\n\nSuur aitäh heade sõnade eest – anname need kogu meeskonnale edasi."
                "\n\n{agent}",
                "Tere!\n\nVeel kord aitäh tagasiside eest. Sulgen pöördumise {number}.\n\n{agent}",
            ),
            topic(
                "Tagasiside esinduse kohta",
                "Tere!\n\nEsinduses ootasin 40 minutit, sest teenindaja oli ainult üks. "
                "Võiks selle üle mõelda.\n\n{name}",
                "Tagasiside esinduse kohta: 40 minutit ootamist, avatud oli üks teeninduskoht.",
                "Tere!\n\nAitäh tagasiside eest ja vabandame pika ootamise pärast. Edastasime "
                "selle esinduse juhile.\n\n{agent}",
                "Tere!\n\nAlates järgmisest nädalast on esinduses tipptundidel avatud kaks "
                "teeninduskohta. Aitäh, et andsite teada!\n\n{agent}",
            ),
            topic(
                "Arvamus tarne kohta",
                "Tarne oli kiire ja kuller sõbralik. Ainus miinus: SMS-teavitust ei tulnud."
                "\n\n{name}",
                "Tagasiside tarne kohta: kiire ja sõbralik, kuid SMS-teavitust ei tulnud.",
                "Tere!\n\nAitäh tagasiside eest. Uurime, miks SMS-teavitus ei jõudnud kohale."
                "\n\n{agent}",
                "Tere!\n\nTellimuse {order} telefoninumber oli puudulik, seetõttu SMS ei "
                "jõudnud kohale – parandasime selle. Aitäh, et andsite teada!\n\n{agent}",
            ),
        ],
    },
    "en": {
        "question": [
            topic(
                "Delivery date question",
                "Hello,\n\nI placed order {order} a week ago and still have no shipping update. "
                "When can I expect the parcel?\n\nBest regards\n{name}",
                "Call about order {order}: asks for the delivery date. Checked stock.",
                "Hello {name},\n\nThank you for your message. Order {order} left our warehouse "
                "yesterday and should arrive within 1–2 working days.\n\nKind regards\n{agent}",
                "Hello,\n\nThe carrier reports that order {order} was delivered. I'm closing "
                "case {number}; just reply to this email if anything else comes up.\n\n{agent}",
            ),
            topic(
                "Warranty question",
                "Hi,\n\nIs the {product} covered by the manufacturer's warranty or yours? How "
                "long is it?\n\n{name}",
                "Warranty question about the {product}. Explained: 24 months' manufacturer's "
                "warranty, card in the box.",
                "Hello {name},\n\nThe {product} has a 24-month manufacturer's warranty. The "
                "warranty card is in the box, and the invoice for order {order} is your proof "
                "of purchase.\n\n{agent}",
                "Hello,\n\nI hope everything is clear now. I'm closing case {number}; just reply "
                "to this email if anything else comes up.\n\n{agent}",
            ),
            topic(
                "Order status not changing",
                "Hello,\n\nThe status of order {order} hasn't changed for three days. Is "
                "something wrong?\n\n{name}",
                "Question about order {order}: status unchanged for three days. The system "
                "shows the parcel waiting at the sorting centre.",
                "Hello,\n\nWe checked order {order}: the parcel was waiting at the sorting "
                "centre and went out with the courier this morning.\n\n{agent}",
                "Hello,\n\nThe parcel for order {order} is with the courier. I'm closing case "
                "{number}.\n\n{agent}",
            ),
            topic(
                "Collecting my order in the showroom",
                "Hello,\n\nCan I collect order {order} from the showroom instead of by courier?"
                "\n\n{name}",
                "Asks to collect order {order} in the showroom. Delivery changed to showroom "
                "collection.",
                "Hello,\n\nYes, order {order} is now set for collection in the showroom. We'll "
                "text you when it's ready.\n\n{agent}",
                "Hello,\n\nOrder {order} is ready for collection at ul. Marszałkowska 1, "
                "Warsaw. I'm closing case {number}.\n\n{agent}",
            ),
        ],
        "request": [
            topic(
                "VAT invoice request",
                "Hello,\n\nPlease issue a VAT invoice for order {order} to my company. I'll send "
                "the details in my next email.\n\n{name}",
                "Asks for a VAT invoice to a company for order {order}; details to follow by "
                "email.",
                "Hello,\n\nWe'll gladly issue the invoice. Please send the company name, "
                "address and VAT number.\n\n{agent}",
                "Hello,\n\nThe invoice for order {order} is attached. Your case number is "
                "{number}.\n\n{agent}",
            ),
            topic(
                "Change of delivery address",
                "Hello,\n\nPlease change the delivery address for order {order} to: {address}. "
                "Thanks!\n\n{name}",
                "Asks to change the delivery address for order {order} to: {address}.",
                "Hello,\n\nWe've passed the new address ({address}) to the carrier and are "
                "waiting for their confirmation.\n\n{agent}",
                "Hello,\n\nThe delivery address for order {order} is now: {address}. The "
                "courier has the new details.\n\n{agent}",
            ),
            topic(
                "Copy of my contract",
                "Hello,\n\nCould you send me a copy of the contract I signed last month?\n\n{name}",
                "Asks for a copy of last month's contract by email.",
                "Hello,\n\nWe've requested the copy from our archive and will send it within "
                "two working days.\n\n{agent}",
                "Hello,\n\nThe copy of your contract is attached. I'm closing case {number}."
                "\n\n{agent}",
            ),
            topic(
                "Update my contact details",
                "Hello,\n\nMy phone number has changed; please update my contact details."
                "\n\n{name}",
                "Asks to update the phone number in their contact details.",
                "Hello,\n\nPlease reply to this email with your new phone number.\n\n{agent}",
                "Hello,\n\nWe've updated your contact details. I'm closing case {number}."
                "\n\n{agent}",
            ),
        ],
        "complaint": [
            topic(
                "Complaint – damaged item",
                "Hello,\n\nThe {product} from order {order} arrived with a cracked casing and a "
                "crushed box. I expect a replacement.\n\n{name}",
                "Complaint: the {product} from order {order} arrived with a cracked casing. "
                "Wants a replacement.",
                "Hello,\n\nI'm sorry the parcel arrived damaged. To handle the complaint, "
                "please send photos of the damage and the box.\n\nBest wishes\n{agent}",
                "Hello {name},\n\nYour complaint has been accepted – a new {product} ships "
                "tomorrow. Thank you for your patience.\n\n{agent}",
                understanding="The item arrived with a cracked casing in a crushed box. The "
                "customer expects a replacement.",
                demand="replacement",
            ),
            topic(
                "Product stopped working",
                "Hello,\n\nI'm filing a complaint: the {product} stopped working after two "
                "weeks. It won't switch on and the light blinks red. Please repair it."
                "\n\n{name}",
                "Complaint: the {product} won't switch on after two weeks, light blinks red. "
                "Asked for the serial number.",
                "Hello,\n\nI'm sorry the device is causing trouble. Please send the serial "
                "number and proof of purchase, and we'll book a pick-up for repair.\n\n{agent}",
                "Hello,\n\nThe service centre has repaired your {product} under the complaint; "
                "the courier brings it tomorrow.\n\n{agent}",
                understanding="The device stopped working after two weeks: it won't switch on "
                "and the light blinks red. The customer expects a repair.",
                demand="repair",
            ),
            topic(
                "No answer about my order",
                "This is the third time I'm writing about order {order} and nobody answers! I "
                "demand a refund.\n\n{name}",
                "Third contact about order {order} without an answer. Demands a refund.",
                "Hello,\n\nWe apologise for not answering your earlier messages. We're checking "
                "order {order} and will decide on the refund by tomorrow at the latest."
                "\n\n{agent}",
                "Hello {name},\n\nYour refund for order {order} has been issued and will reach "
                "your account within 3–5 working days.\n\n{agent}",
                understanding="Three messages about the order went unanswered. The customer "
                "expects a refund.",
                demand="withdrawal",
            ),
            topic(
                "Charger missing from the box",
                "Hello,\n\nThe charger was missing from the box of order {order}. Please send "
                "it.\n\n{name}",
                "Complaint: charger missing from order {order}. Wants the missing part sent.",
                "Hello,\n\nWe apologise for the incomplete parcel. We're checking stock and "
                "will confirm when the charger ships.\n\n{agent}",
                "Hello,\n\nThe charger for order {order} is on its way; the tracking number "
                "comes by text message. Thank you for your patience.\n\n{agent}",
                understanding="The charger was missing from the box. The customer expects the "
                "missing part to be sent.",
                demand="other",
            ),
        ],
        "order": [
            topic(
                "I would like to place an order",
                "Hello,\n\nI'd like to order the {product} for delivery to {address}. Can I pay "
                "on delivery?\n\n{name}",
                "Phone order: {product}, delivery to {address}, payment on delivery.",
                "Hello,\n\nYes, you can pay on delivery. Please confirm the delivery address: "
                "{address}.\n\n{agent}",
                "Hello,\n\nYour order has been taken and leaves our warehouse tomorrow. Your "
                "case number is {number}.\n\n{agent}",
            ),
            topic(
                "Bulk order",
                "Hello,\n\nPlease quote for 12 units of the {product}. It's a company order."
                "\n\n{name}",
                "Asks for a bulk quote: 12 units of the {product} for a company. Quote to go "
                "by email.",
                "Hello,\n\nThank you for your enquiry. Our quote for 12 units of the {product} "
                "with a bulk discount is attached.\n\n{agent}",
                "Hello,\n\nWe confirm your bulk order of 12 units of the {product}. The "
                "pro forma invoice is attached.\n\n{agent}",
            ),
            topic(
                "Ordering accessories",
                "Hello,\n\nI'd like to buy a spare filter and hose for my {product}.\n\n{name}",
                "Accessories for the {product}: a filter and a spare hose.",
                "Hello,\n\nA filter and hose for the {product} are in stock. Shall we send them "
                "to the address of order {order}?\n\n{agent}",
                "Hello,\n\nThe accessories have been sent to the address of order {order}. "
                "I'm closing case {number}.\n\n{agent}",
            ),
        ],
        "feedback": [
            topic(
                "Thank you to your agent",
                "Hello,\n\nI want to thank {agent} for the patience and quick help. That's how "
                "customer service should be!\n\n{name}",
                "Thanks us for quick help on an earlier case.",
                "Hello,\n\nThank you so much for your kind words – we'll pass them on to the "
                "whole team.\n\n{agent}",
                "Hello,\n\nThank you again for your feedback. I'm closing case {number}."
                "\n\n{agent}",
            ),
            topic(
                "Feedback on the showroom",
                "Hello,\n\nI waited 40 minutes in the showroom because only one person was "
                "serving. Worth a thought.\n\n{name}",
                "Feedback on the showroom: a 40-minute wait with one desk open.",
                "Hello,\n\nThank you for your feedback, and sorry for the long wait. We've "
                "passed it on to the showroom manager.\n\n{agent}",
                "Hello,\n\nFrom next week two desks will be open in the showroom at busy "
                "times. Thank you for letting us know.\n\n{agent}",
            ),
            topic(
                "Delivery feedback",
                "Fast delivery, friendly courier. Only downside: no SMS notification.\n\n{name}",
                "Delivery feedback: fast and friendly, but no SMS notification.",
                "Hello,\n\nThank you for your feedback. We're looking into why the SMS "
                "notification didn't reach you.\n\n{agent}",
                "Hello,\n\nThe phone number on order {order} was incomplete, so the SMS never "
                "arrived – we've corrected it. Thank you for letting us know.\n\n{agent}",
            ),
        ],
    },
}

# Answers that fit any topic, for the rounds between the first reply and the closing one.
REPLIES: dict[str, list[str]] = {
    "pl": [
        "Dzień dobry,\n\ndziękujemy za informacje. Sprawdzamy sprawę i odezwiemy się najpóźniej "
        "w ciągu dwóch dni roboczych.\n\n{agent}",
        "Dzień dobry,\n\nsprawa {number} jest w toku – przekazaliśmy ją do właściwego działu "
        "i czekamy na odpowiedź.\n\nPozdrawiam\n{agent}",
    ],
    "et": [
        "Tere!\n\nAitäh info eest. Uurime asja ja vastame hiljemalt kahe tööpäeva jooksul."
        "\n\n{agent}",
        "Tere!\n\nPöördumine {number} on menetluses – edastasime selle õigele osakonnale ja "
        "ootame vastust.\n\n{agent}",
    ],
    "en": [
        "Hello,\n\nThank you for the details. We're looking into it and will reply within two "
        "working days at the latest.\n\n{agent}",
        "Hello,\n\nCase {number} is in progress – we've passed it to the right department and "
        "are waiting for their answer.\n\n{agent}",
    ],
}

# What customers write back, whatever the topic.
FOLLOWUPS: dict[str, list[str]] = {
    "pl": [
        "Dziękuję za odpowiedź. W załączniku przesyłam potrzebne informacje.",
        "Dzień dobry, czy jest już coś nowego w sprawie {number}?",
        "Nadal czekam na informację. Proszę o pilny kontakt.",
        "Dziękuję, wszystko jasne.",
    ],
    "et": [
        "Aitäh vastuse eest! Saadan vajaliku info manuses.",
        "Tere, kas pöördumise {number} kohta on midagi uut?",
        "Ootan ikka veel infot. Palun võtke kiiresti ühendust.",
        "Aitäh, kõik on selge.",
    ],
    "en": [
        "Thanks for your reply. The details you asked for are attached.",
        "Hello, is there any news on case {number}?",
        "I'm still waiting to hear from you. Please get back to me urgently.",
        "Thank you, all clear.",
    ],
}


def topic_of(language: str, subject: str) -> Topic | None:
    """The topic a demo subject (with or without "Re: ") was written from."""
    subject = subject.removeprefix("Re: ")
    for topics in TOPICS[language].values():
        for topic in topics:
            if topic["subject"] == subject:
                return topic
    return None


TAGS = [
    "vip",
    "dostawa",
    "faktura",
    "zwrot",
    "gwarancja",
    "pilne",
    "tarne",
    "arve",
    "refund",
    "b2b",
    "ekspertyza",
    "powtórny-kontakt",
    "salon",
    "raty",
    "esindus",
]
