# Real typography: en dashes in ranges and asides, as people write them.
# ruff: noqa: RUF001
"""What demo customers and agents write, in Polish, Estonian and English.

This is demo content, not interface text: it is never translated, only chosen by the case's
language. Placeholders: {name} (customer's first name), {agent} (agent's first name),
{order}, {product}, {address}, {number} (case number).
"""

from typing import TypedDict


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
    subjects: dict[str, list[str]]
    inbound: dict[str, list[str]]
    call_notes: list[str]
    followups: list[str]
    replies: list[str]
    closings: list[str]
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
            "rower miejski Kross",
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
        "subjects": {
            "question": [
                "Pytanie o termin dostawy",
                "Gdzie jest moja paczka?",
                "Pytanie o gwarancję",
                "Czy produkt jest dostępny?",
            ],
            "request": [
                "Prośba o fakturę VAT",
                "Zmiana adresu dostawy",
                "Prośba o kopię umowy",
                "Zmiana danych kontaktowych",
            ],
            "complaint": [
                "Reklamacja – uszkodzony towar",
                "Reklamacja zamówienia",
                "Produkt przestał działać",
                "Niezgodność towaru z umową",
            ],
            "order": [
                "Zamówienie telefoniczne",
                "Chcę złożyć zamówienie",
                "Zamówienie hurtowe",
                "Dokupienie akcesoriów",
            ],
            "feedback": [
                "Podziękowanie dla konsultanta",
                "Uwagi do obsługi w salonie",
                "Opinia o dostawie",
                "Sugestia dotycząca strony",
            ],
        },
        "inbound": {
            "question": [
                "Dzień dobry, złożyłam zamówienie {order} tydzień temu i nadal nie dostałam "
                "informacji o wysyłce. Kiedy mogę spodziewać się paczki?\n\nPozdrawiam\n{name}",
                "Witam, czy {product} jest objęty gwarancją producenta, czy sklepu? "
                "Ile trwa gwarancja?\n{name}",
                "Dzień dobry, status zamówienia {order} od trzech dni się nie zmienia. "
                "Czy coś jest nie tak?",
                "Czy mogę odebrać zamówienie {order} osobiście w salonie zamiast kurierem?",
            ],
            "request": [
                "Dzień dobry, proszę o wystawienie faktury VAT do zamówienia {order} na firmę. "
                "Dane wyślę w kolejnej wiadomości.\n{name}",
                "Proszę o zmianę adresu dostawy zamówienia {order} na: {address}. Dziękuję!",
                "Uprzejmie proszę o przesłanie kopii umowy, którą podpisałem w zeszłym "
                "miesiącu.\nZ poważaniem, {name}",
                "Zmieniłam numer telefonu, proszę zaktualizować moje dane kontaktowe.",
            ],
            "complaint": [
                "Dzień dobry, {product} z zamówienia {order} przyszedł z pękniętą obudową. "
                "Karton był zgnieciony. Oczekuję wymiany na nowy egzemplarz.\n{name}",
                "Składam reklamację: {product} przestał działać po dwóch tygodniach. "
                "Nie włącza się, dioda miga na czerwono. Proszę o naprawę albo zwrot pieniędzy.",
                "Jestem bardzo niezadowolona. Już trzeci raz piszę w sprawie zamówienia "
                "{order} i nikt mi nie odpowiada! Żądam zwrotu pieniędzy.",
                "W paczce zabrakło części – w zestawie nie było ładowarki. Proszę o dosłanie.",
            ],
            "order": [
                "Dzień dobry, chciałbym zamówić {product} z dostawą na adres {address}. "
                "Czy możliwa jest płatność przy odbiorze?",
                "Proszę o przygotowanie oferty na 12 sztuk: {product}. Zamawiamy dla firmy.",
                "Chcę dokupić filtr i dodatkowy wąż do urządzenia {product}.",
            ],
            "feedback": [
                "Chciałam podziękować pani {agent} za cierpliwość i szybką pomoc. "
                "Tak powinna wyglądać obsługa klienta!",
                "W salonie przy ul. Floriańskiej czekałem 40 minut, bo był tylko jeden "
                "konsultant. Może warto to przemyśleć.",
                "Dostawa szybka, kurier uprzejmy. Jedyny minus: brak powiadomienia SMS.",
            ],
        },
        "call_notes": [
            "Klient dzwoni w sprawie zamówienia {order}. Pyta o termin dostawy; sprawdziłam "
            "status w systemie magazynowym.",
            "Klientka zgłasza usterkę: {product} głośno pracuje przy wirowaniu. Poprosiłam "
            "o zdjęcia i numer seryjny.",
            "Rozmowa w salonie: klient przyniósł {product}, chce wymiany na inny model. "
            "Spisano protokół, urządzenie zostawione do ekspertyzy.",
            "Klient prosi o oddzwonienie po godzinie 16:00 w sprawie faktury.",
            "Wizyta w salonie: klientka pyta o raty 0% na {product}. Przekazano ulotkę.",
        ],
        "followups": [
            "Dziękuję za odpowiedź. Przesyłam zdjęcia w załączniku. Czy to wystarczy?",
            "Nadal nie dostałam paczki, a minęły już trzy dni robocze. Proszę o pilny kontakt.",
            "Dzień dobry, czy jest już decyzja w mojej sprawie {number}?",
            "Numer seryjny to SN-48213. Urządzenie kupiłem w sklepie internetowym.",
            "Dziękuję, wszystko jasne. Czekam na kuriera.",
        ],
        "replies": [
            "Dzień dobry {name},\n\ndziękuję za wiadomość. Sprawdziłam zamówienie {order}: "
            "paczka wyjechała z magazynu wczoraj i powinna dotrzeć w ciągu 1–2 dni roboczych."
            "\n\nPozdrawiam serdecznie\n{agent}",
            "Dzień dobry,\n\nprzykro mi, że {product} sprawia kłopot. Żeby rozpatrzyć "
            "reklamację, proszę o przesłanie zdjęć uszkodzenia oraz numeru seryjnego."
            "\n\nZ pozdrowieniami\n{agent}",
            "Dzień dobry {name},\n\nrozumiem, że oczekuje Pan/Pani wymiany urządzenia na nowe. "
            "Czy dobrze rozumiem, że chodzi o egzemplarz z zamówienia {order}?\n\n{agent}",
            "Dzień dobry,\n\nfaktura do zamówienia {order} jest w załączniku. "
            "Numer zgłoszenia: {number}.\n\nPozdrawiam\n{agent}",
            "Dzień dobry,\n\nzmieniliśmy adres dostawy na: {address}. Kurier otrzymał "
            "aktualne dane.\n\n{agent}",
            "Dzień dobry {name},\n\nprzekazałam sprawę do działu technicznego. "
            "Odezwiemy się najpóźniej w ciągu dwóch dni roboczych.\n\n{agent}",
        ],
        "closings": [
            "Dzień dobry {name},\n\nreklamacja została uznana – nowy {product} wyślemy jutro. "
            "Dziękujemy za cierpliwość.\n\n{agent}",
            "Dzień dobry,\n\ncieszę się, że sprawa jest załatwiona. Zamykam zgłoszenie {number}. "
            "W razie pytań wystarczy odpisać na tę wiadomość.\n\n{agent}",
            "Dzień dobry {name},\n\nzwrot środków został zlecony; pieniądze pojawią się na "
            "koncie w ciągu 3–5 dni roboczych.\n\nPozdrawiam\n{agent}",
        ],
        "notes": [
            "Sprawdziłam w WMS – paczka utknęła w sortowni w Strykowie.",
            "Klient stały, trzecia reklamacja w tym roku. Proponuję gest dobrej woli: "
            "darmowa dostawa przy następnym zamówieniu.",
            "Czekamy na ekspertyzę serwisu, termin 7 dni.",
            "Uzgodnione z kierownikiem: wymiana bez ekspertyzy.",
            "Klientka prosi o kontakt wyłącznie mailowy.",
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
            "linnaratas Kross",
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
        "subjects": {
            "question": [
                "Küsimus tarneaja kohta",
                "Kus on minu pakk?",
                "Küsimus garantii kohta",
                "Kas toode on laos?",
            ],
            "request": [
                "Palun arvet",
                "Tarneaadressi muutmine",
                "Palun lepingu koopiat",
                "Kontaktandmete muutmine",
            ],
            "complaint": [
                "Pretensioon – kahjustatud kaup",
                "Kaebus tellimuse kohta",
                "Toode lakkas töötamast",
                "Kaup ei vasta lepingule",
            ],
            "order": [
                "Tellimus telefoni teel",
                "Soovin tellida",
                "Hulgitellimus",
                "Lisatarvikute tellimine",
            ],
            "feedback": [
                "Tänu klienditeenindajale",
                "Tagasiside esinduse kohta",
                "Arvamus tarne kohta",
                "Ettepanek veebilehe kohta",
            ],
        },
        "inbound": {
            "question": [
                "Tere! Esitasin tellimuse {order} nädal tagasi, aga saatmise kohta pole "
                "ikka infot. Millal pakk kohale jõuab?\n\nLugupidamisega\n{name}",
                "Tere, kas tootel {product} on tootja või poe garantii? Kui pikk see on?",
                "Tere! Tellimuse {order} olek pole kolm päeva muutunud. Kas midagi on valesti?",
                "Kas saan tellimuse {order} esindusest ise kätte, mitte kulleriga?",
            ],
            "request": [
                "Tere! Palun väljastage tellimuse {order} kohta arve ettevõtte nimele. "
                "Andmed saadan järgmises kirjas.\n{name}",
                "Palun muutke tellimuse {order} tarneaadress: {address}. Aitäh!",
                "Palun saatke mulle eelmisel kuul allkirjastatud lepingu koopia.",
                "Minu telefoninumber muutus, palun uuendage kontaktandmeid.",
            ],
            "complaint": [
                "Tere! {product} tellimusest {order} saabus katkise korpusega, karp oli "
                "mõlkis. Soovin uut toodet asemele.\n{name}",
                "Esitan pretensiooni: {product} lakkas kahe nädala pärast töötamast. "
                "Ei lülitu sisse, tuli vilgub punaselt. Palun parandust või raha tagastamist.",
                "Olen väga pahane. Kirjutan tellimuse {order} asjus juba kolmandat korda ja "
                "keegi ei vasta! Nõuan raha tagasi.",
                "Pakist puudus laadija. Palun saatke see järele.",
            ],
            "order": [
                "Tere! Soovin tellida toote {product} aadressile {address}. "
                "Kas saab maksta kättesaamisel?",
                "Palun tehke pakkumine 12 tükile: {product}. Tellime ettevõttele.",
                "Soovin juurde osta filtri ja lisavooliku seadmele {product}.",
            ],
            "feedback": [
                "Tahan tänada klienditeenindajat {agent} kannatlikkuse ja kiire abi eest. "
                "Just nii peab klienditeenindus käima!",
                "Esinduses ootasin 40 minutit, sest teenindaja oli ainult üks. "
                "Võiks selle üle mõelda.",
                "Tarne oli kiire ja kuller sõbralik. Ainus miinus: SMS-teavitust ei tulnud.",
            ],
        },
        "call_notes": [
            "Klient helistab tellimuse {order} asjus, küsib tarneaega; kontrollisin laoseisu.",
            "Klient teatab rikkest: {product} on tsentrifuugimisel lärmakas. Palusin fotosid "
            "ja seerianumbrit.",
            "Vestlus esinduses: klient tõi toote {product}, soovib vahetust teise mudeli "
            "vastu. Koostati akt, seade jäeti ekspertiisi.",
            "Klient palub tagasihelistamist pärast kella 16 arve asjus.",
            "Külastus esinduses: klient küsib järelmaksu kohta tootele {product}.",
        ],
        "followups": [
            "Aitäh vastuse eest! Saadan fotod manuses. Kas sellest piisab?",
            "Pakki ikka pole, kolm tööpäeva on möödas. Palun võtke kiiresti ühendust.",
            "Tere, kas minu pöördumise {number} kohta on juba otsus?",
            "Seerianumber on SN-48213. Ostsin seadme e-poest.",
            "Aitäh, kõik on selge. Ootan kullerit.",
        ],
        "replies": [
            "Tere, {name}!\n\nAitäh kirja eest. Kontrollisin tellimust {order}: pakk lahkus "
            "laost eile ja peaks kohale jõudma 1–2 tööpäeva jooksul.\n\nParimate "
            "soovidega\n{agent}",
            "Tere!\n\nMul on kahju, et {product} teeb muret. Pretensiooni menetlemiseks "
            "saatke palun fotod kahjustusest ja seerianumber.\n\nLugupidamisega\n{agent}",
            "Tere, {name}!\n\nKas saan õigesti aru, et soovite tellimuse {order} seadme "
            "asemele uut?\n\n{agent}",
            "Tere!\n\nTellimuse {order} arve on manuses. Pöördumise number: {number}.\n\n{agent}",
            "Tere!\n\nMuutsime tarneaadressiks: {address}. Kuller sai uued andmed.\n\n{agent}",
            "Tere, {name}!\n\nEdastasin küsimuse tehnilisele osakonnale. Vastame hiljemalt "
            "kahe tööpäeva jooksul.\n\n{agent}",
        ],
        "closings": [
            "Tere, {name}!\n\nPretensioon on rahuldatud – uus {product} saadetakse homme. "
            "Aitäh kannatlikkuse eest!\n\n{agent}",
            "Tere!\n\nRõõm, et asi lahenes. Sulgen pöördumise {number}. Küsimuste korral "
            "vastake lihtsalt sellele kirjale.\n\n{agent}",
            "Tere, {name}!\n\nRaha tagastamine on algatatud; summa laekub 3–5 tööpäeva "
            "jooksul.\n\n{agent}",
        ],
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
            "Kross city bike",
        ],
        "addresses": [
            "14 Baker Street, London NW1 6XE",
            "3 Castle Terrace, Edinburgh EH1 2DP",
            "Narva mnt 7, 10117 Tallinn",
            "ul. Mokotowska 24, 00-561 Warszawa",
        ],
        "order_format": "ORD-{year}-{serial:06d}",
        "subjects": {
            "question": [
                "Delivery date question",
                "Where is my parcel?",
                "Warranty question",
                "Is this item in stock?",
            ],
            "request": [
                "VAT invoice request",
                "Change of delivery address",
                "Copy of my contract",
                "Update my contact details",
            ],
            "complaint": [
                "Complaint – damaged item",
                "Complaint about my order",
                "Product stopped working",
                "Item not as described",
            ],
            "order": [
                "Order by phone",
                "I would like to place an order",
                "Bulk order",
                "Ordering accessories",
            ],
            "feedback": [
                "Thank you to your agent",
                "Feedback on the showroom",
                "Delivery feedback",
                "Suggestion for the website",
            ],
        },
        "inbound": {
            "question": [
                "Hello, I placed order {order} a week ago and still have no shipping update. "
                "When can I expect the parcel?\n\nBest regards\n{name}",
                "Hi, is the {product} covered by the manufacturer's warranty or yours? "
                "How long is it?",
                "Hello, the status of order {order} hasn't changed for three days. "
                "Is something wrong?",
                "Can I collect order {order} from the showroom instead of by courier?",
            ],
            "request": [
                "Hello, please issue a VAT invoice for order {order} to my company. "
                "I'll send the details in my next email.\n{name}",
                "Please change the delivery address for order {order} to: {address}. Thanks!",
                "Could you send me a copy of the contract I signed last month?",
                "My phone number has changed; please update my contact details.",
            ],
            "complaint": [
                "Hello, the {product} from order {order} arrived with a cracked casing and "
                "a crushed box. I expect a replacement.\n{name}",
                "I'm filing a complaint: the {product} stopped working after two weeks. "
                "It won't switch on and the light blinks red. Please repair or refund.",
                "I am very unhappy. This is the third time I'm writing about order {order} "
                "and nobody answers! I demand a refund.",
                "The charger was missing from the box. Please send it.",
            ],
            "order": [
                "Hello, I'd like to order the {product} for delivery to {address}. "
                "Can I pay on delivery?",
                "Please quote for 12 units of the {product}. It's a company order.",
                "I'd like to buy a spare filter and hose for my {product}.",
            ],
            "feedback": [
                "I want to thank {agent} for the patience and quick help. "
                "That's how customer service should be!",
                "I waited 40 minutes in the showroom because only one person was serving. "
                "Worth a thought.",
                "Fast delivery, friendly courier. Only downside: no SMS notification.",
            ],
        },
        "call_notes": [
            "Customer calls about order {order}, asks for the delivery date; checked stock.",
            "Customer reports a fault: the {product} is noisy when spinning. Asked for photos "
            "and the serial number.",
            "Showroom visit: customer brought the {product} and wants another model instead. "
            "Report written, device left for inspection.",
            "Customer asks for a call back after 4 pm about an invoice.",
            "Showroom visit: customer asks about instalments for the {product}.",
        ],
        "followups": [
            "Thanks for your reply. Photos attached – is that enough?",
            "Still no parcel after three working days. Please get back to me urgently.",
            "Hello, is there a decision on my case {number} yet?",
            "The serial number is SN-48213. I bought it in your online shop.",
            "Thank you, all clear. Waiting for the courier.",
        ],
        "replies": [
            "Hello {name},\n\nThank you for your message. I checked order {order}: it left "
            "our warehouse yesterday and should arrive within 1–2 working days.\n\n"
            "Kind regards\n{agent}",
            "Hello,\n\nI'm sorry the {product} is causing trouble. To handle the complaint, "
            "please send photos of the damage and the serial number.\n\nBest wishes\n{agent}",
            "Hello {name},\n\nDo I understand correctly that you would like a new device "
            "in place of the one from order {order}?\n\n{agent}",
            "Hello,\n\nThe invoice for order {order} is attached. Your case number is "
            "{number}.\n\n{agent}",
            "Hello,\n\nWe have changed the delivery address to: {address}. The courier has "
            "the new details.\n\n{agent}",
            "Hello {name},\n\nI've passed your question to our technical team. We'll reply "
            "within two working days at the latest.\n\n{agent}",
        ],
        "closings": [
            "Hello {name},\n\nYour complaint has been accepted – a new {product} ships "
            "tomorrow. Thank you for your patience.\n\n{agent}",
            "Hello,\n\nGlad this is sorted. I'm closing case {number}; just reply to this "
            "email if anything else comes up.\n\n{agent}",
            "Hello {name},\n\nYour refund has been issued and will reach your account within "
            "3–5 working days.\n\n{agent}",
        ],
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
