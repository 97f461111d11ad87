"""Demonstration catalogue: real sessions of the Paris 2024 Olympic Games.

Dates, venues and start times are those of the real sessions, in Europe/Paris local time
(naive ISO strings, ``YYYY-MM-DDTHH:MM``). Capacities are the seats sold on this platform,
and prices are in euro cents for the SOLO (1 person), DUO (2) and FAMILIALE (4) offers.
Each text is given in French and in English (``title_fr``, ``title_en``…, the event's fields).
The list is ordered chronologically.
"""

DEMO_EVENTS: list[dict] = [
    {
        "slug": "ceremonie-ouverture-seine",
        "sport": "ceremonie",
        "title_fr": "Cérémonie d'ouverture — Parade sur la Seine",
        "title_en": "Opening Ceremony — Parade on the Seine",
        "description_fr": (
            "Pour la première fois, la cérémonie d'ouverture des Jeux se tient hors d'un stade : "
            "les délégations défilent en bateau sur la Seine, du pont d'Austerlitz au Trocadéro. "
            "Depuis les quais hauts, assistez au passage des athlètes du monde entier et aux "
            "tableaux artistiques qui animent les ponts et les monuments de Paris, jusqu'à "
            "l'allumage de la vasque olympique."
        ),
        "description_en": (
            "For the first time, the opening ceremony of the Games takes place outside a stadium: "
            "the delegations parade by boat along the Seine, from the Pont d'Austerlitz to the "
            "Trocadéro. From the upper embankments, watch athletes from all over the world sail "
            "by and the artistic performances that bring the bridges and monuments of Paris to "
            "life, up to the lighting of the Olympic cauldron."
        ),
        "venue_fr": "La Seine, du pont d'Austerlitz au Trocadéro",
        "venue_en": "The Seine, from the Pont d'Austerlitz to the Trocadéro",
        "city_fr": "Paris",
        "city_en": "Paris",
        "starts_at": "2024-07-26T19:30",
        "capacity": 5000,
        "prices": {"SOLO": 45000, "DUO": 85500, "FAMILIALE": 162000},
        "max_per_order": 4,
    },
    {
        "slug": "surf-premier-tour-teahupoo",
        "sport": "surf",
        "title_fr": "Surf — Premier tour hommes et femmes à Teahupo'o",
        "title_en": "Surfing — Men's and women's first round at Teahupo'o",
        "description_fr": (
            "Le surf olympique s'installe à Teahupo'o, sur la côte sud de Tahiti, l'une des "
            "vagues les plus puissantes et les plus célèbres au monde. Les premières séries "
            "débutent à 7 h 00, heure de Tahiti, soit 19 h 00 à Paris. Depuis le rivage et les "
            "bateaux spectateurs, admirez les meilleurs surfeurs et surfeuses glisser dans les "
            "tubes translucides au-dessus du récif."
        ),
        "description_en": (
            "Olympic surfing comes to Teahupo'o, on the south coast of Tahiti, one of the most "
            "powerful and famous waves in the world. The first heats start at 7:00 a.m. Tahiti "
            "time, 7:00 p.m. in Paris. From the shore and the spectator boats, watch the best "
            "surfers ride the translucent tubes above the reef."
        ),
        "venue_fr": "Vague de Teahupo'o",
        "venue_en": "Teahupo'o wave",
        "city_fr": "Teahupo'o, Tahiti",
        "city_en": "Teahupo'o, Tahiti",
        "starts_at": "2024-07-27T19:00",
        "capacity": 400,
        "prices": {"SOLO": 4500, "DUO": 8600, "FAMILIALE": 16200},
        "max_per_order": None,
    },
    {
        "slug": "rugby-a-7-finale-hommes",
        "sport": "rugby",
        "title_fr": "Rugby à 7 — Finale hommes",
        "title_en": "Rugby Sevens — Men's final",
        "description_fr": (
            "Le Stade de France accueille la finale du tournoi olympique masculin de rugby à 7, "
            "premier titre collectif décerné à Paris 2024. Deux mi-temps de sept minutes, des "
            "essais de cent mètres et une ambiance de fête dans l'enceinte de Saint-Denis : "
            "venez vivre le sacre de la meilleure équipe du monde."
        ),
        "description_en": (
            "The Stade de France hosts the final of the men's Olympic rugby sevens tournament, "
            "the first team title awarded at Paris 2024. Two seven-minute halves, hundred-metre "
            "tries and a party atmosphere in the Saint-Denis stadium: come and see the best team "
            "in the world crowned."
        ),
        "venue_fr": "Stade de France",
        "venue_en": "Stade de France",
        "city_fr": "Saint-Denis",
        "city_en": "Saint-Denis",
        "starts_at": "2024-07-27T19:45",
        "capacity": 3000,
        "prices": {"SOLO": 18000, "DUO": 34200, "FAMILIALE": 64800},
        "max_per_order": None,
    },
    {
        "slug": "equitation-concours-complet-cross",
        "sport": "equitation",
        "title_fr": "Sports équestres — Concours complet, épreuve de cross",
        "title_en": "Equestrian — Eventing, cross-country test",
        "description_fr": (
            "Le cross du concours complet se court dans le parc du château de Versailles, le "
            "long du Grand Canal et face à la demeure de Louis XIV. Cavaliers et chevaux "
            "enchaînent obstacles naturels, gués et talus sur plus de cinq kilomètres. Une "
            "journée en plein air, au plus près de l'effort des couples."
        ),
        "description_en": (
            "The eventing cross-country is ridden in the park of the Palace of Versailles, along "
            "the Grand Canal and facing Louis XIV's residence. Riders and horses take on natural "
            "obstacles, water jumps and banks over more than five kilometres. A day in the open "
            "air, as close as can be to the pairs' effort."
        ),
        "venue_fr": "Château de Versailles",
        "venue_en": "Palace of Versailles",
        "city_fr": "Versailles",
        "city_en": "Versailles",
        "starts_at": "2024-07-28T10:30",
        "capacity": 2500,
        "prices": {"SOLO": 7000, "DUO": 13300, "FAMILIALE": 25200},
        "max_per_order": None,
    },
    {
        "slug": "escrime-finales-sabre-dames-fleuret-hommes",
        "sport": "escrime",
        "title_fr": "Escrime — Finales du sabre dames et du fleuret hommes",
        "title_en": "Fencing — Women's sabre and men's foil finals",
        "description_fr": (
            "Sous la verrière du Grand Palais, les demi-finales et les finales individuelles du "
            "sabre dames et du fleuret hommes se disputent sur la piste centrale. L'escrime "
            "française, sport le plus titré de l'histoire olympique du pays, y joue à domicile. "
            "Une soirée d'assauts éclair dans l'un des plus beaux monuments de Paris."
        ),
        "description_en": (
            "Under the glass roof of the Grand Palais, the individual semi-finals and finals of "
            "the women's sabre and the men's foil are fought on the central piste. French "
            "fencing, the country's most successful Olympic sport, competes at home. An evening "
            "of lightning bouts in one of the most beautiful monuments in Paris."
        ),
        "venue_fr": "Grand Palais",
        "venue_en": "Grand Palais",
        "city_fr": "Paris",
        "city_en": "Paris",
        "starts_at": "2024-07-29T19:00",
        "capacity": 1200,
        "prices": {"SOLO": 11000, "DUO": 20900, "FAMILIALE": 39600},
        "max_per_order": None,
    },
    {
        "slug": "natation-finales-31-juillet",
        "sport": "natation",
        "title_fr": "Natation — Soirée des finales (200 m papillon et 200 m brasse hommes)",
        "title_en": "Swimming — Finals evening (men's 200 m butterfly and 200 m breaststroke)",
        "description_fr": (
            "Le bassin olympique est installé au cœur de Paris La Défense Arena, transformée "
            "pour l'occasion en piscine de 15 000 places. Au programme de cette soirée : les "
            "finales du 200 m papillon et du 200 m brasse messieurs, ainsi que plusieurs "
            "demi-finales et podiums. Une ambiance électrique pour les plus belles courses "
            "des Jeux."
        ),
        "description_en": (
            "The Olympic pool is set up inside Paris La Défense Arena, turned into a 15,000-seat "
            "aquatics venue for the occasion. On this evening's programme: the men's 200 m "
            "butterfly and 200 m breaststroke finals, along with several semi-finals and medal "
            "ceremonies. An electric atmosphere for the finest races of the Games."
        ),
        "venue_fr": "Paris La Défense Arena",
        "venue_en": "Paris La Défense Arena",
        "city_fr": "Nanterre",
        "city_en": "Nanterre",
        "starts_at": "2024-07-31T20:30",
        "capacity": 3500,
        "prices": {"SOLO": 24000, "DUO": 45600, "FAMILIALE": 86400},
        "max_per_order": None,
    },
    {
        "slug": "gymnastique-concours-general-dames",
        "sport": "gymnastique",
        "title_fr": "Gymnastique artistique — Finale du concours général dames",
        "title_en": "Artistic Gymnastics — Women's all-around final",
        "description_fr": (
            "À Bercy Arena, les 24 meilleures gymnastes de la qualification se disputent le titre "
            "le plus prestigieux de la discipline. Saut, barres asymétriques, poutre et sol : "
            "quatre agrès pour désigner la gymnaste la plus complète du monde. Un spectacle de "
            "puissance et de précision, au plus près des praticables."
        ),
        "description_en": (
            "At Bercy Arena, the 24 best gymnasts of the qualification compete for the most "
            "prestigious title of the discipline. Vault, uneven bars, beam and floor: four "
            "apparatus to find the most complete gymnast in the world. A show of power and "
            "precision, close to the mats."
        ),
        "venue_fr": "Bercy Arena",
        "venue_en": "Bercy Arena",
        "city_fr": "Paris",
        "city_en": "Paris",
        "starts_at": "2024-08-01T18:15",
        "capacity": 2000,
        "prices": {"SOLO": 22000, "DUO": 41800, "FAMILIALE": 79200},
        "max_per_order": None,
    },
    {
        "slug": "judo-finales-plus-100-kg-plus-78-kg",
        "sport": "judo",
        "title_fr": "Judo — Phases finales +100 kg hommes et +78 kg femmes",
        "title_en": "Judo — Men's +100 kg and women's +78 kg final block",
        "description_fr": (
            "Dans l'Arena Champ-de-Mars, au pied de la tour Eiffel, les poids lourds entrent en "
            "scène pour les repêchages, les combats pour le bronze et les finales. Le judo, "
            "sport roi de la délégation française, y réunit un public connaisseur et bouillant. "
            "Venez vibrer à chaque ippon."
        ),
        "description_en": (
            "In the Champ-de-Mars Arena, at the foot of the Eiffel Tower, the heavyweights take "
            "the stage for the repechages, the bronze medal contests and the finals. Judo, the "
            "French team's flagship sport, draws a knowledgeable and fervent crowd. Come and "
            "cheer every ippon."
        ),
        "venue_fr": "Arena Champ-de-Mars",
        "venue_en": "Champ-de-Mars Arena",
        "city_fr": "Paris",
        "city_en": "Paris",
        "starts_at": "2024-08-02T16:00",
        "capacity": 1500,
        "prices": {"SOLO": 12000, "DUO": 22800, "FAMILIALE": 43200},
        "max_per_order": None,
    },
    {
        "slug": "tennis-finale-simple-messieurs",
        "sport": "tennis",
        "title_fr": "Tennis — Journée des finales : simple messieurs et double dames",
        "title_en": "Tennis — Finals day: men's singles and women's doubles",
        "description_fr": (
            "Sur la terre battue du court Philippe-Chatrier, la dernière journée du tournoi "
            "olympique commence à 11 h 00 par le match pour le bronze du double dames. Suivent la "
            "finale du simple messieurs puis la finale du double dames. Trois médailles d'or "
            "se décident dans l'écrin de Roland-Garros."
        ),
        "description_en": (
            "On the clay of Court Philippe-Chatrier, the last day of the Olympic tournament "
            "starts at 11:00 a.m. with the women's doubles bronze medal match, followed by the "
            "men's singles final and then the women's doubles final. Three gold medals are "
            "decided in the setting of Roland-Garros."
        ),
        "venue_fr": "Stade Roland-Garros",
        "venue_en": "Roland-Garros Stadium",
        "city_fr": "Paris",
        "city_en": "Paris",
        "starts_at": "2024-08-04T11:00",
        "capacity": 2200,
        "prices": {"SOLO": 25000, "DUO": 47500, "FAMILIALE": 90000},
        "max_per_order": None,
    },
    {
        "slug": "tir-a-l-arc-finales-individuelles-hommes",
        "sport": "tir-a-l-arc",
        "title_fr": "Tir à l'arc — Phases finales individuelles hommes",
        "title_en": "Archery — Men's individual final rounds",
        "description_fr": (
            "Sur l'esplanade des Invalides, face au dôme doré, les archers disputent les quarts "
            "de finale, les demi-finales et les matchs pour les médailles de l'épreuve "
            "individuelle. À 70 mètres de la cible, chaque flèche compte et le silence du public "
            "précède les clameurs. Une séance spectaculaire dans un décor historique."
        ),
        "description_en": (
            "On the esplanade of Les Invalides, facing the golden dome, the archers contest the "
            "quarter-finals, semi-finals and medal matches of the individual event. Seventy "
            "metres from the target, every arrow counts, and the crowd's silence comes before the "
            "roar. A spectacular session in a historic setting."
        ),
        "venue_fr": "Invalides",
        "venue_en": "Invalides",
        "city_fr": "Paris",
        "city_en": "Paris",
        "starts_at": "2024-08-04T14:00",
        "capacity": 1000,
        "prices": {"SOLO": 5000, "DUO": 9500, "FAMILIALE": 18000},
        "max_per_order": None,
    },
    {
        "slug": "athletisme-finale-100m-hommes",
        "sport": "athletisme",
        "title_fr": "Athlétisme — Finale du 100 m hommes",
        "title_en": "Athletics — Men's 100 m final",
        "description_fr": (
            "Le rendez-vous le plus attendu des Jeux : huit sprinteurs, une ligne droite et moins "
            "de dix secondes pour désigner l'homme le plus rapide du monde. La finale s'élance à "
            "21 h 50 sur la piste violette du Stade de France, au terme d'une soirée qui comprend "
            "aussi les demi-finales du 100 m et les finales du saut en hauteur dames et du "
            "lancer du marteau hommes."
        ),
        "description_en": (
            "The most awaited moment of the Games: eight sprinters, one straight and less than "
            "ten seconds to find the fastest man in the world. The final starts at 9:50 p.m. on "
            "the purple track of the Stade de France, at the end of an evening that also includes "
            "the 100 m semi-finals and the women's high jump and men's hammer throw finals."
        ),
        "venue_fr": "Stade de France",
        "venue_en": "Stade de France",
        "city_fr": "Saint-Denis",
        "city_en": "Saint-Denis",
        "starts_at": "2024-08-04T21:50",
        "capacity": 40,
        "prices": {"SOLO": 98000, "DUO": 186200, "FAMILIALE": 352800},
        "max_per_order": 4,
    },
    {
        "slug": "cyclisme-piste-finales-poursuite-par-equipes",
        "sport": "cyclisme-piste",
        "title_fr": "Cyclisme sur piste — Finales de la poursuite par équipes",
        "title_en": "Track Cycling — Team pursuit finals",
        "description_fr": (
            "Au Vélodrome national de Saint-Quentin-en-Yvelines, les quatuors s'affrontent sur "
            "4 000 mètres dans les finales de la poursuite par équipes hommes et femmes. La "
            "soirée se poursuit avec les tours de la vitesse individuelle hommes. Vitesse, "
            "relais millimétrés et virages relevés à 43 degrés : sensations garanties."
        ),
        "description_en": (
            "At the Saint-Quentin-en-Yvelines National Velodrome, teams of four race over 4,000 "
            "metres in the men's and women's team pursuit finals. The evening goes on with the "
            "rounds of the men's individual sprint. Speed, split-second changeovers and bends "
            "banked at 43 degrees: thrills guaranteed."
        ),
        "venue_fr": "Vélodrome national de Saint-Quentin-en-Yvelines",
        "venue_en": "Saint-Quentin-en-Yvelines National Velodrome",
        "city_fr": "Montigny-le-Bretonneux",
        "city_en": "Montigny-le-Bretonneux",
        "starts_at": "2024-08-07T17:30",
        "capacity": 1200,
        "prices": {"SOLO": 9000, "DUO": 17100, "FAMILIALE": 32400},
        "max_per_order": None,
    },
    {
        "slug": "escalade-finale-vitesse-hommes",
        "sport": "escalade",
        "title_fr": "Escalade — Finale de vitesse hommes",
        "title_en": "Sport Climbing — Men's speed final",
        "description_fr": (
            "Pour la première fois, l'escalade de vitesse décerne ses propres médailles "
            "olympiques. Sur le site d'escalade du Bourget, les grimpeurs s'affrontent en duels "
            "sur un mur de 15 mètres, gravi en moins de cinq secondes par les meilleurs. Des "
            "quarts de finale à la grande finale, chaque course se joue au centième."
        ),
        "description_en": (
            "For the first time, speed climbing awards its own Olympic medals. At the Le Bourget "
            "Climbing Venue, climbers race head to head up a 15-metre wall that the best scale in "
            "under five seconds. From the quarter-finals to the final, every race is decided by "
            "hundredths of a second."
        ),
        "venue_fr": "Site d'escalade du Bourget",
        "venue_en": "Le Bourget Climbing Venue",
        "city_fr": "Le Bourget",
        "city_en": "Le Bourget",
        "starts_at": "2024-08-08T12:30",
        "capacity": 1500,
        "prices": {"SOLO": 6000, "DUO": 11400, "FAMILIALE": 21600},
        "max_per_order": None,
    },
    {
        "slug": "voile-kitefoil-courses-medailles",
        "sport": "voile",
        "title_fr": "Voile — Kitefoil, courses pour les médailles",
        "title_en": "Sailing — Kitefoil medal races",
        "description_fr": (
            "Dans la rade de Marseille, face à la Marina du Roucas-Blanc, les kitefoilers "
            "volent au-dessus de l'eau à plus de 40 nœuds. Les séries finales désignent les "
            "premiers champions olympiques de la discipline, chez les hommes comme chez les "
            "femmes. Un spectacle rapide et lisible depuis la tribune en bord de mer."
        ),
        "description_en": (
            "In the harbour of Marseille, facing the Roucas-Blanc Marina, the kitefoilers fly "
            "above the water at more than 40 knots. The final series crown the discipline's first "
            "Olympic champions, men and women alike. A fast race that is easy to follow from the "
            "seafront stand."
        ),
        "venue_fr": "Marina de Marseille",
        "venue_en": "Marseille Marina",
        "city_fr": "Marseille",
        "city_en": "Marseille",
        "starts_at": "2024-08-08T13:00",
        "capacity": 800,
        "prices": {"SOLO": 2400, "DUO": 4600, "FAMILIALE": 8600},
        "max_per_order": None,
    },
    {
        "slug": "breaking-b-girls",
        "sport": "breaking",
        "title_fr": "Breaking — Compétition B-Girls",
        "title_en": "Breaking — B-Girls competition",
        "description_fr": (
            "Le breaking fait son entrée aux Jeux olympiques sur la place de la Concorde, "
            "transformée en parc urbain. Les seize meilleures B-Girls s'affrontent en battles "
            "sur les sons des DJ, des poules jusqu'à la finale. Powermoves, freezes et "
            "musicalité : une première historique à vivre en plein cœur de Paris."
        ),
        "description_en": (
            "Breaking makes its Olympic debut on the Place de la Concorde, turned into an urban "
            "park. The sixteen best B-Girls face off in battles to the DJs' sounds, from the "
            "round robin to the final. Power moves, freezes and musicality: a historic first to "
            "experience in the heart of Paris."
        ),
        "venue_fr": "La Concorde",
        "venue_en": "La Concorde",
        "city_fr": "Paris",
        "city_en": "Paris",
        "starts_at": "2024-08-09T16:00",
        "capacity": 1800,
        "prices": {"SOLO": 8000, "DUO": 15200, "FAMILIALE": 28800},
        "max_per_order": None,
    },
    {
        "slug": "football-finale-hommes",
        "sport": "football",
        "title_fr": "Football — Finale du tournoi olympique masculin",
        "title_en": "Football — Men's Olympic tournament final",
        "description_fr": (
            "Le Parc des Princes accueille la finale du tournoi olympique masculin de football, "
            "coup d'envoi à 18 h 00. Les meilleures sélections espoirs de la planète y jouent la "
            "médaille d'or devant près de 48 000 spectateurs. Une affiche de prestige dans le "
            "stade mythique de la porte de Saint-Cloud."
        ),
        "description_en": (
            "The Parc des Princes hosts the final of the men's Olympic football tournament, "
            "kick-off at 6:00 p.m. The best under-23 teams on the planet play for the gold medal "
            "in front of nearly 48,000 spectators. A prestigious match in the legendary stadium "
            "by the Porte de Saint-Cloud."
        ),
        "venue_fr": "Parc des Princes",
        "venue_en": "Parc des Princes",
        "city_fr": "Paris",
        "city_en": "Paris",
        "starts_at": "2024-08-09T18:00",
        "capacity": 4000,
        "prices": {"SOLO": 15000, "DUO": 28500, "FAMILIALE": 54000},
        "max_per_order": None,
    },
    {
        "slug": "beach-volley-matchs-medailles-hommes",
        "sport": "beach-volley",
        "title_fr": "Beach-volley — Matchs pour les médailles hommes",
        "title_en": "Beach Volleyball — Men's medal matches",
        "description_fr": (
            "Au pied de la tour Eiffel, sur le Champ-de-Mars, le Stade Tour Eiffel accueille le "
            "match pour la médaille de bronze puis la finale du tournoi masculin, prévue à "
            "22 h 30. Sable fin, musique et tour illuminée : la soirée la plus festive des Jeux."
        ),
        "description_en": (
            "At the foot of the Eiffel Tower, on the Champ-de-Mars, Eiffel Tower Stadium hosts "
            "the bronze medal match and then the final of the men's tournament, due at 10:30 p.m. "
            "Fine sand, music and the tower lit up: the most festive evening of the Games."
        ),
        "venue_fr": "Stade Tour Eiffel",
        "venue_en": "Eiffel Tower Stadium",
        "city_fr": "Paris",
        "city_en": "Paris",
        "starts_at": "2024-08-10T21:00",
        "capacity": 1500,
        "prices": {"SOLO": 20000, "DUO": 38000, "FAMILIALE": 72000},
        "max_per_order": None,
    },
    {
        "slug": "basketball-finale-hommes",
        "sport": "basketball",
        "title_fr": "Basketball — Finale du tournoi olympique masculin",
        "title_en": "Basketball — Men's Olympic tournament final",
        "description_fr": (
            "Bercy Arena accueille la finale du tournoi olympique masculin de basketball, "
            "entre les deux meilleures nations de la compétition. Les plus grandes stars de la "
            "NBA et d'Europe se disputent l'or à partir de 21 h 30. Une soirée de gala pour "
            "clore le tournoi."
        ),
        "description_en": (
            "Bercy Arena hosts the final of the men's Olympic basketball tournament, between the "
            "two best nations of the competition. The biggest stars of the NBA and Europe play "
            "for gold from 9:30 p.m. A gala evening to close the tournament."
        ),
        "venue_fr": "Bercy Arena",
        "venue_en": "Bercy Arena",
        "city_fr": "Paris",
        "city_en": "Paris",
        "starts_at": "2024-08-10T21:30",
        "capacity": 2500,
        "prices": {"SOLO": 39000, "DUO": 74100, "FAMILIALE": 140400},
        "max_per_order": None,
    },
    {
        "slug": "ceremonie-cloture-stade-de-france",
        "sport": "ceremonie",
        "title_fr": "Cérémonie de clôture",
        "title_en": "Closing Ceremony",
        "description_fr": (
            "Le Stade de France accueille la cérémonie de clôture des Jeux olympiques de "
            "Paris 2024. Défilé des athlètes, spectacle musical et passation du drapeau "
            "olympique à Los Angeles, ville hôte des Jeux de 2028. Un dernier moment de "
            "communion pour dire au revoir aux Jeux."
        ),
        "description_en": (
            "The Stade de France hosts the closing ceremony of the Paris 2024 Olympic Games. "
            "Athletes' parade, musical show and the handover of the Olympic flag to Los Angeles, "
            "host city of the 2028 Games. One last moment together to bid the Games farewell."
        ),
        "venue_fr": "Stade de France",
        "venue_en": "Stade de France",
        "city_fr": "Saint-Denis",
        "city_en": "Saint-Denis",
        "starts_at": "2024-08-11T21:00",
        "capacity": 5000,
        "prices": {"SOLO": 38000, "DUO": 72200, "FAMILIALE": 136800},
        "max_per_order": 4,
    },
]
