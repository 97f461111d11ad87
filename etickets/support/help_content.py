"""The articles of the help centre: the user manual, §2 to §8, rewritten as tasks.

Each article answers one thing a visitor wants to do and is grouped under a section of the help
centre; ``ARTICLES`` is ordered by section, then by the order of the steps in the manual. The
``slug`` is the article's stable anchor and must never change once published.

Labels of the interface are quoted in « » exactly as they appear on screen, straight apostrophe
included (« S'inscrire »); the prose uses the typographic apostrophe (’). A search over these
texts should therefore treat ' and ’ as the same character. ``body`` and ``body_en`` are plain
text: paragraphs separated by a blank line, steps as lines starting with "1. ", "2. "…. The
English text is read with the English interface on screen: it quotes that interface's labels
(locale/en), in “ ”.
"""

ARTICLES: list[dict[str, str]] = [
    {
        "slug": "se-reperer-sur-le-site",
        "section": "Premiers pas",
        "section_en": "Getting started",
        "title": "Se repérer sur le site",
        "title_en": "Find your way around the site",
        "body": (
            "JO E-Tickets est la billetterie officielle des Jeux Olympiques de Paris 2024. Le site "
            "s’ouvre dans n’importe quel navigateur récent (Chrome, Firefox, Safari, Edge…) et "
            "s’adapte automatiquement à l’écran de votre ordinateur, de votre tablette ou de votre "
            "smartphone : il n’y a rien à installer.\n\n"
            "La barre de navigation, en haut de chaque page, mène aux principales rubriques :\n\n"
            "1. « Accueil » : la présentation des Jeux Olympiques de Paris 2024.\n"
            "2. « Offres » : la liste des offres de billets disponibles.\n"
            "3. « Mon compte » : votre profil, la sécurité de votre compte et vos commandes.\n"
            "4. « Mes billets » : les billets que vous avez achetés.\n"
            "5. « Panier » : les billets que vous vous apprêtez à acheter.\n\n"
            "« Mon compte », « Mes billets » et « Panier » n’apparaissent qu’une fois connecté. "
            "Avant cela, vous trouvez à leur place « Connexion » et « Inscription », dans le coin "
            "supérieur droit.\n\n"
            "Le site existe en français et en anglais. Pour changer de langue, cliquez sur le "
            "bouton de langue dans l’en-tête (« English » pour passer en anglais, « Français » "
            "pour revenir au français)."
        ),
        "body_en": (
            "JO E-Tickets is the official ticket office of the Paris 2024 Olympic Games. The site "
            "opens in any recent browser (Chrome, Firefox, Safari, Edge…) and adapts automatically "
            "to the screen of your computer, tablet or smartphone: there is nothing to install.\n"
            "\n"
            "The navigation bar at the top of every page leads to the main areas:\n\n"
            "1. “Home”: an introduction to the Paris 2024 Olympic Games.\n"
            "2. “Offers”: the list of ticket offers on sale.\n"
            "3. “My account”: your profile, your account security and your "
            "orders.\n"
            "4. “My tickets”: the tickets you have bought.\n"
            "5. “Cart”: the tickets you are about to buy.\n\n"
            "“My account”, “My tickets” and “Cart” only appear once you are logged in. "
            "Until then, you will find “Log in” and “Sign up” in "
            "their place, in the top right-hand corner.\n\n"
            "The site is available in French and English. To switch language, click the language "
            "button in the header (“English” to switch to English, “Français” to go back to "
            "French)."
        ),
        "keywords": (
            "accueil menu navigation barre rubriques langue anglais english français mobile "
            "smartphone tablette navigateur application"
        ),
    },
    {
        "slug": "consulter-les-offres",
        "section": "Consulter les offres",
        "section_en": "Browsing offers",
        "title": "Consulter les offres et leurs détails",
        "title_en": "Browse the offers and their details",
        "body": (
            "Les billets sont vendus sous forme d’offres de trois types : Solo pour 1 personne, "
            "Duo pour 2 personnes et Familiale pour 4 personnes.\n\n"
            "1. Cliquez sur « Offres » dans la barre de navigation.\n"
            "2. Les offres disponibles s’affichent sous forme de cartes. Chaque carte indique le "
            "titre de l’offre, une image, le type d’offre (Solo, Duo ou Familiale), le prix, la "
            "date de l’événement et le nombre de billets disponibles.\n"
            "3. Pour en savoir plus sur une offre, cliquez sur son bouton « Voir les détails ».\n"
            "\n"
            "La page de l’offre présente une description complète de l’événement, les détails "
            "pratiques (date, heure, type de billet), le nombre de places disponibles et une "
            "section pour ajouter l’offre à votre panier.\n\n"
            "Vous pouvez consulter les offres sans être connecté. Pour acheter, il vous faudra en "
            "revanche créer un compte ou vous connecter."
        ),
        "body_en": (
            "Tickets are sold as offers of three types: Solo for 1 person, Duo for 2 people and "
            "Familiale (Family) for 4 people.\n\n"
            "1. Click “Offers” in the navigation bar.\n"
            "2. The available offers are shown as cards. Each card gives the title of the offer, a "
            "picture, the type of offer (Solo, Duo or Familiale), the price, the date of the event "
            "and the number of tickets left.\n"
            "3. To find out more about an offer, click its “View details” "
            "button.\n\n"
            "The offer’s page gives a full description of the event, the practical details (date, "
            "time, type of ticket), the number of seats available and a section to add the offer "
            "to your cart.\n\n"
            "You can browse the offers without logging in. To buy, however, you will need to "
            "create an account or log in."
        ),
        "keywords": (
            "catalogue billetterie événements épreuves prix tarif date places disponibles solo duo "
            "familiale famille description"
        ),
    },
    {
        "slug": "filtrer-les-offres",
        "section": "Consulter les offres",
        "section_en": "Browsing offers",
        "title": "Filtrer les offres par type",
        "title_en": "Filter the offers by type",
        "body": (
            "Pour n’afficher que les offres qui correspondent au nombre de personnes avec qui vous "
            "venez, filtrez-les par type.\n\n"
            "1. Ouvrez la page « Offres ».\n"
            "2. En haut de la page, utilisez le sélecteur « Filtrer par type ».\n"
            "3. Choisissez « Tous les types », « Solo » (1 personne), « Duo » (2 personnes) ou « "
            "Familiale » (4 personnes).\n"
            "4. La liste des offres se met à jour automatiquement selon votre choix.\n\n"
            "Pour revoir toutes les offres, choisissez de nouveau « Tous les types ».\n\n"
            "Les autres filtres s’ajoutent à celui-ci : « Rechercher » (un mot du titre, du "
            "sport, du lieu ou de la ville, avec ou sans accents), « Sport », « Date » et "
            "« Lieu ». Chaque épreuve a une carte qui rassemble ses offres ; les résultats sont "
            "présentés par pages de 12. « Effacer les filtres » revient à la liste complète."
        ),
        "body_en": (
            "To show only the offers that match the number of people coming with you, filter them "
            "by type.\n\n"
            "1. Open the “Offers” page.\n"
            "2. At the top of the page, use the “Filter by type” selector.\n"
            "3. Choose “All types”, “Solo” (1 person), “Duo” (2 people) or "
            "“Family” (4 people).\n"
            "4. The list of offers updates automatically to match your choice.\n\n"
            "To see every offer again, choose “All types” once more.\n\n"
            "The other filters add to this one: “Search” (a word of the title, sport, venue or "
            "city, with or without accents), “Sport”, “Date” and “Venue”. Each event has one "
            "card that gathers its offers; results come in pages of 12. “Clear the filters” "
            "goes back to the full list."
        ),
        "keywords": (
            "trier chercher rechercher sélectionner type de billet solo duo familiale famille "
            "nombre de personnes sport date jour lieu site ville pages"
        ),
    },
    {
        "slug": "creer-un-compte",
        "section": "Votre compte",
        "section_en": "Your account",
        "title": "Créer un compte",
        "title_en": "Create an account",
        "body": (
            "Un compte est nécessaire pour acheter des billets : il protège vos billets et vous "
            "permet de les retrouver facilement.\n\n"
            "1. Cliquez sur « Inscription » dans le coin supérieur droit de l’écran.\n"
            "2. Remplissez le formulaire : nom d’utilisateur, adresse email, nom, prénom, mot de "
            "passe et confirmation du mot de passe.\n"
            "3. Lisez et acceptez les conditions d’utilisation.\n"
            "4. Cliquez sur « S'inscrire ».\n\n"
            "Votre mot de passe doit compter au moins 8 caractères, dont au moins une lettre "
            "majuscule, une lettre minuscule, un chiffre et un caractère spécial (!, @, #, $…). Un "
            "indicateur de force vous aide à choisir un mot de passe robuste pendant la saisie.\n"
            "\n"
            "Une fois inscrit, vous pouvez immédiatement vous connecter à votre compte.\n\n"
            "L’email de bienvenue contient un lien de vérification de votre adresse, valable 24 "
            "heures. Une adresse vérifiée est demandée pour prendre place dans la file d’attente "
            "des ventes très demandées ; sans elle, vous naviguez et achetez normalement. Lien "
            "expiré ou perdu ? Dans « Mon compte », cliquez sur « Envoyer le lien de "
            "vérification »."
        ),
        "body_en": (
            "You need an account to buy tickets: it protects your tickets and lets you find them "
            "easily.\n\n"
            "1. Click “Sign up” in the top right-hand corner of the screen.\n"
            "2. Fill in the form: username, email address, last name, first name, password and "
            "password confirmation.\n"
            "3. Read and accept the terms of use.\n"
            "4. Click “Sign up”.\n\n"
            "Your password must be at least 8 characters long and include at least one upper-case "
            "letter, one lower-case letter, one digit and one special character (!, @, #, $…). A "
            "strength meter helps you choose a strong password as you type.\n\n"
            "Once you have signed up, you can log in to your account straight away.\n\n"
            "The welcome email contains a link that verifies your address, valid for 24 hours. "
            "A verified address is required to take a place in the waiting queue of high-demand "
            "sales; without it, you browse and buy as usual. Link expired or lost? In “My "
            "account”, click “Send the verification link”."
        ),
        "keywords": (
            "inscription s'inscrire s’inscrire enregistrement nouveau compte créer profil mot de "
            "passe sécurisé force conditions d'utilisation vérification vérifier adresse email lien"
        ),
    },
    {
        "slug": "se-connecter",
        "section": "Votre compte",
        "section_en": "Your account",
        "title": "Se connecter à son compte",
        "title_en": "Log in to your account",
        "body": (
            "1. Cliquez sur « Connexion » dans le coin supérieur droit.\n"
            "2. Saisissez votre adresse email et votre mot de passe.\n"
            "3. Si vous le souhaitez, cochez « Se souvenir de moi » pour rester connecté.\n"
            "4. Cliquez sur « Se connecter ».\n\n"
            "Si vous avez activé l’authentification à deux facteurs, saisissez ensuite le code à 6 "
            "chiffres affiché par votre application d’authentification, ou l’un de vos codes de "
            "secours.\n\n"
            "Ne cochez pas « Se souvenir de moi » sur un ordinateur partagé ou public.\n\n"
            "Par sécurité, après 5 tentatives de connexion échouées en 15 minutes, les connexions "
            "sont bloquées pendant 15 minutes. Patientez avant de réessayer, ou réinitialisez "
            "votre mot de passe avec « Mot de passe oublié ? » sur la page de connexion."
        ),
        "body_en": (
            "1. Click “Log in” in the top right-hand corner.\n"
            "2. Enter your email address and your password.\n"
            "3. If you wish, tick “Remember me” to stay logged in.\n"
            "4. Click “Log in”.\n\n"
            "If you have enabled two-factor authentication, then enter the 6-digit code shown by "
            "your authenticator app, or one of your recovery codes.\n\n"
            "Do not tick “Remember me” on a shared or public computer.\n\n"
            "For your security, after 5 failed login attempts within 15 minutes, logins are "
            "blocked for 15 minutes. Wait before trying again, or reset your password with "
            "“Forgot your password?” on the login page."
        ),
        "keywords": (
            "connexion login identifiant identifier se connecter rester connecté se souvenir "
            "compte bloqué verrouillé tentatives"
        ),
    },
    {
        "slug": "mot-de-passe-oublie",
        "section": "Votre compte",
        "section_en": "Your account",
        "title": "Réinitialiser un mot de passe oublié",
        "title_en": "Reset a forgotten password",
        "body": (
            "Si vous avez oublié votre mot de passe, choisissez-en un nouveau en quelques "
            "minutes.\n\n"
            "1. Sur la page de connexion, cliquez sur « Mot de passe oublié ? ».\n"
            "2. Saisissez l’adresse email de votre compte.\n"
            "3. Cliquez sur « Envoyer le lien de réinitialisation ».\n"
            "4. Consultez votre boîte de réception et suivez les instructions de l’email reçu.\n\n"
            "Rien reçu après quelques minutes ? Vérifiez le dossier des courriers indésirables, "
            "puis l’adresse que vous avez saisie.\n\n"
            "Le nouveau mot de passe doit respecter les mêmes règles qu’à l’inscription : au moins "
            "8 caractères, dont une majuscule, une minuscule, un chiffre et un caractère spécial."
        ),
        "body_en": (
            "If you have forgotten your password, you can choose a new one in a few minutes.\n\n"
            "1. On the login page, click “Forgot your password?”.\n"
            "2. Enter the email address of your account.\n"
            "3. Click “Send the reset link”.\n"
            "4. Check your inbox and follow the instructions in the email you receive.\n\n"
            "Nothing after a few minutes? Check your spam folder, then the address you entered.\n"
            "\n"
            "The new password must follow the same rules as at sign-up: at least 8 characters, "
            "including an upper-case letter, a lower-case letter, a digit and a special character."
        ),
        "keywords": (
            "mot de passe perdu oublié réinitialiser réinitialisation changer nouveau mot de passe "
            "email lien reçu spam"
        ),
    },
    {
        "slug": "activer-la-double-authentification",
        "section": "Votre compte",
        "section_en": "Your account",
        "title": "Activer l’authentification à deux facteurs",
        "title_en": "Enable two-factor authentication",
        "body": (
            "L’authentification à deux facteurs protège votre compte même si votre mot de passe "
            "est découvert : à chaque connexion, un code à usage unique, généré par une "
            "application sur votre téléphone, vous est demandé. Nous vous recommandons de "
            "l’activer.\n\n"
            "1. Connectez-vous à votre compte.\n"
            "2. Allez dans « Mon compte » > « Sécurité ».\n"
            "3. Cliquez sur « Activer l'authentification à deux facteurs ».\n"
            "4. Scannez le QR code avec une application d’authentification (Google Authenticator, "
            "Microsoft Authenticator…).\n"
            "5. Saisissez le code à 6 chiffres généré par l’application.\n"
            "6. Cliquez sur « Confirmer ».\n"
            "7. Vos 10 codes de secours s’affichent, une seule fois : cliquez sur « Copier », "
            "« Télécharger (.txt) » ou « Imprimer » pour les garder, puis sur « J'ai noté mes "
            "codes ».\n\n"
            "Un code de secours remplace le code de l’application si vous n’avez plus accès à "
            "votre téléphone (perdu, volé, remplacé) : à la connexion, saisissez-le dans « Code de "
            "vérification ». Chacun ne sert qu’une fois. Conservez-les en lieu sûr, à l’écart de "
            "votre téléphone : imprimés, ou dans un gestionnaire de mots de passe.\n\n"
            "Il vous en reste peu, ou vous les avez perdus ? Dans « Mon compte » > « Sécurité », "
            "cliquez sur « Générer de nouveaux codes de secours » : les anciens cessent de "
            "fonctionner."
        ),
        "body_en": (
            "Two-factor authentication protects your account even if someone finds out your "
            "password: each time you log in, you are asked for a one-time code generated by an app "
            "on your phone. We recommend that you enable it.\n\n"
            "1. Log in to your account.\n"
            "2. Go to “My account” > “Security”.\n"
            "3. Click “Enable two-factor authentication”.\n"
            "4. Scan the QR code with an authenticator app (Google Authenticator, Microsoft "
            "Authenticator…).\n"
            "5. Enter the 6-digit code generated by the app.\n"
            "6. Click “Confirm”.\n"
            "7. Your 10 recovery codes are shown, once only: click “Copy”, “Download (.txt)” or "
            "“Print” to keep them, then “I have written down my codes”.\n\n"
            "A recovery code replaces the app’s code if you no longer have access to your phone "
            "(lost, stolen, replaced): when you log in, enter it in “Verification code”. Each one "
            "works only once. Keep them somewhere safe, away from your phone: printed, or in a "
            "password manager.\n\n"
            "Running low on codes, or lost them? In “My account” > “Security”, click “Generate "
            "new recovery codes”: the old ones stop working."
        ),
        "keywords": (
            "2FA double authentification deux étapes sécurité code à 6 chiffres application "
            "authenticator codes de secours récupération téléphone perdu volé copier télécharger "
            "imprimer"
        ),
    },
    {
        "slug": "modifier-son-profil",
        "section": "Votre compte",
        "section_en": "Your account",
        "title": "Modifier ses informations personnelles",
        "title_en": "Update your personal details",
        "body": (
            "Vous pouvez mettre à jour à tout moment les informations de votre compte.\n\n"
            "1. Connectez-vous à votre compte.\n"
            "2. Allez dans « Mon compte » > « Profil ».\n"
            "3. Modifiez les informations souhaitées.\n"
            "4. Cliquez sur « Enregistrer les modifications ».\n\n"
            "Vos billets étant liés à votre compte, gardez vos nom et prénom à jour : une pièce "
            "d’identité pourra vous être demandée à l’entrée."
        ),
        "body_en": (
            "You can update the details of your account at any time.\n\n"
            "1. Log in to your account.\n"
            "2. Go to “My account” > “Profile”.\n"
            "3. Change the details you want.\n"
            "4. Click “Save changes”.\n\n"
            "As your tickets are linked to your account, keep your first and last names up to "
            "date: you may be asked for ID at the entrance."
        ),
        "keywords": (
            "profil informations personnelles modifier changer nom prénom adresse email "
            "coordonnées mettre à jour"
        ),
    },
    {
        "slug": "ajouter-des-billets-au-panier",
        "section": "Acheter des billets",
        "section_en": "Buying tickets",
        "title": "Ajouter des billets au panier",
        "title_en": "Add tickets to your cart",
        "body": (
            "1. Connectez-vous à votre compte, si ce n’est pas déjà fait.\n"
            "2. Consultez les offres et cliquez sur « Voir les détails » de celle qui vous "
            "intéresse.\n"
            "3. Sur la page de l’offre, sélectionnez la quantité souhaitée, dans la limite des "
            "places disponibles.\n"
            "4. Cliquez sur « Ajouter au panier ».\n"
            "5. Une notification confirme l’ajout au panier.\n\n"
            "Les places ajoutées au panier vous sont réservées pendant 15 minutes. Un compte à "
            "rebours, affiché dans le panier, indique le temps qui reste pour payer.\n\n"
            "Si ce délai expire, les places sont libérées pour les autres acheteurs. Rechargez la "
            "page du panier : les places encore disponibles sont de nouveau réservées pour vous."
        ),
        "body_en": (
            "1. Log in to your account, if you have not already done so.\n"
            "2. Browse the offers and click “View details” on the one you "
            "want.\n"
            "3. On the offer’s page, select the quantity you want, within the limit of the seats "
            "available.\n"
            "4. Click “Add to cart”.\n"
            "5. A notification confirms that the tickets are in your cart.\n\n"
            "Seats added to your cart are held for you for 15 minutes. A countdown in the cart "
            "shows how much time you have left to pay.\n\n"
            "If that time runs out, the seats are released for other buyers. Reload the cart page: "
            "the seats that are still available are reserved for you again."
        ),
        "keywords": (
            "panier ajouter acheter quantité nombre de billets réservation places réservées délai "
            "15 minutes compte à rebours expiré"
        ),
    },
    {
        "slug": "modifier-son-panier",
        "section": "Acheter des billets",
        "section_en": "Buying tickets",
        "title": "Consulter et modifier son panier",
        "title_en": "View and change your cart",
        "body": (
            "Cliquez sur « Panier » dans la barre de navigation. La page du panier affiche les "
            "offres ajoutées, les quantités choisies, les prix unitaires, le sous-total de chaque "
            "offre et le total à payer.\n\n"
            "Vous pouvez modifier votre panier avant de payer :\n\n"
            "1. Pour changer une quantité, utilisez les boutons + et −, ou saisissez directement "
            "la nouvelle quantité.\n"
            "2. Pour retirer une offre, cliquez sur l’icône de poubelle à côté de celle-ci.\n"
            "3. Pour tout retirer, cliquez sur « Vider le panier » en bas de page, puis "
            "confirmez : les billets réservés sont alors libérés.\n\n"
            "Les modifications s’appliquent instantanément et le total est recalculé."
        ),
        "body_en": (
            "Click “Cart” in the navigation bar. The cart page shows the offers you "
            "added, the quantities chosen, the unit prices, the subtotal for each offer and the "
            "total to pay.\n\n"
            "You can change your cart before paying:\n\n"
            "1. To change a quantity, use the + and − buttons, or type the new quantity "
            "directly.\n"
            "2. To remove an offer, click the bin icon next to it.\n"
            "3. To remove everything, click “Empty the cart” at the bottom of "
            "the page, then confirm: the seats held for you are released.\n\n"
            "Changes apply instantly and the total is recalculated."
        ),
        "keywords": (
            "panier modifier quantité supprimer retirer poubelle vider total sous-total prix "
            "corbeille"
        ),
    },
    {
        "slug": "payer-sa-commande",
        "section": "Acheter des billets",
        "section_en": "Buying tickets",
        "title": "Payer sa commande",
        "title_en": "Pay for your order",
        "body": (
            "1. Vérifiez le contenu de votre panier.\n"
            "2. Cliquez sur « Procéder au paiement ».\n"
            "3. Sur la page de paiement, consultez le récapitulatif de votre commande.\n"
            "4. Saisissez vos informations de carte bancaire : numéro de carte, date d’expiration "
            "et code de sécurité (CVV).\n"
            "5. Cliquez sur « Payer » pour finaliser la transaction.\n\n"
            "Nous acceptons les cartes Visa, Mastercard et American Express. Toutes les "
            "transactions sont chiffrées et sécurisées, et nous ne stockons jamais vos "
            "informations de carte bancaire.\n\n"
            "Si votre carte est refusée, votre panier est conservé : vous pouvez réessayer, avec "
            "la même carte ou une autre.\n\n"
            "Après un paiement réussi, une page de confirmation affiche les détails de votre "
            "commande et sa référence, de la forme JO24-7KQ2-M9XD. Vous recevez également un email "
            "de confirmation.\n\n"
            "Vos billets sont aussitôt disponibles dans « Mes billets ». Vous retrouvez toutes vos "
            "commandes dans « Mon compte » > « Mes commandes »."
        ),
        "body_en": (
            "1. Check the contents of your cart.\n"
            "2. Click “Proceed to payment”.\n"
            "3. On the payment page, check the summary of your order.\n"
            "4. Enter your card details: card number, expiry date and security code (CVV).\n"
            "5. Click “Pay” to complete the transaction.\n\n"
            "We accept Visa, Mastercard and American Express cards. All transactions are encrypted "
            "and secure, and we never store your card details.\n\n"
            "If your card is declined, your cart is kept: you can try again, with the same card or "
            "another one.\n\n"
            "After a successful payment, a confirmation page shows the details of your order and "
            "its reference, such as JO24-7KQ2-M9XD. You also receive a confirmation email.\n\n"
            "Your tickets are available straight away in “My tickets”. You will "
            "find all your orders under “My account” > “My orders”."
        ),
        "keywords": (
            "paiement payer carte bancaire visa mastercard american express amex cvv refusée "
            "commande référence confirmation email facture reçu"
        ),
    },
    {
        "slug": "annulation-et-remboursement",
        "section": "Acheter des billets",
        "section_en": "Buying tickets",
        "title": "Annulation et remboursement",
        "title_en": "Cancellations and refunds",
        "body": (
            "Une commande payée ne peut pas être annulée à votre initiative. Les conditions "
            "d’annulation et de remboursement suivent la politique des Jeux Olympiques ; nos "
            "conditions générales de vente (lien « CGV » en bas de chaque page) les détaillent.\n\n"
            "Si une épreuve est annulée par les organisateurs et n’est pas reportée, ses billets "
            "sont annulés et leur prix vous est remboursé intégralement, dans les 30 jours "
            "suivant l’annonce, sur la carte bancaire utilisée pour le paiement. Vous n’avez "
            "rien à faire : un email vous prévient.\n\n"
            "Si une épreuve est reportée ou déplacée, votre billet reste valable pour la nouvelle "
            "date ou le nouveau lieu. Si vous ne pouvez pas vous y rendre, demandez son "
            "remboursement au service client (page « Contact ») dans les 14 jours suivant "
            "l’annonce du report.\n\n"
            "Une épreuve commencée puis interrompue ne donne pas lieu à remboursement, sauf "
            "décision contraire des organisateurs. Les frais engagés pour vous rendre à "
            "l’épreuve (transport, hébergement…) ne sont jamais remboursés.\n\n"
            "Après un remboursement, l’email reçu indique les billets annulés et le montant "
            "recrédité sur votre carte. Ces billets sont marqués « Annulé » dans « Mes billets » "
            "et ne permettent plus d’entrer ; la commande est marquée « Remboursée » ou "
            "« Partiellement remboursée » dans « Mon compte » > « Mes commandes »."
        ),
        "body_en": (
            "A paid order cannot be cancelled at your request. Cancellation and refund "
            "conditions follow the policy of the Olympic Games; our terms of sale (the “Terms of "
            "sale” link at the bottom of every page) set them out.\n\n"
            "If an event is cancelled by the organisers and not rescheduled, its tickets are "
            "cancelled and their price is refunded to you in full, within 30 days of the "
            "announcement, to the card used for payment. You need do nothing: an email tells "
            "you.\n\n"
            "If an event is postponed or moved, your ticket remains valid for the new date or "
            "venue. If you cannot attend, ask customer service for a refund (the “Contact” page) "
            "within 14 days of the postponement being announced.\n\n"
            "An event that has started and is then interrupted gives no right to a refund, "
            "unless the organisers decide otherwise. Costs you incur to attend the event "
            "(travel, accommodation…) are never refunded.\n\n"
            "After a refund, the email you receive lists the cancelled tickets and the amount "
            "credited back to your card. Those tickets are marked “Cancelled” in “My tickets” "
            "and no longer let you in; the order is marked “Refunded” or “Partially refunded” "
            "under “My account” > “My orders”."
        ),
        "keywords": (
            "remboursement remboursé annuler annulation annulée report reportée déplacée "
            "interrompue argent carte recrédité CGV conditions générales de vente"
        ),
    },
    {
        "slug": "retrouver-ses-billets",
        "section": "Vos billets",
        "section_en": "Your tickets",
        "title": "Retrouver et télécharger ses billets",
        "title_en": "Find and download your tickets",
        "body": (
            "1. Connectez-vous à votre compte.\n"
            "2. Cliquez sur « Mes billets » dans la barre de navigation.\n"
            "3. Vos billets s’affichent sous forme de cartes, avec le titre de l’événement, la "
            "date et l’heure, le type de billet, le QR code et l’état du billet (valide ou "
            "utilisé).\n\n"
            "Pour voir un billet en entier, cliquez sur « Détails ». Sa page affiche toutes les "
            "informations de l’événement, le QR code en grand format, la référence de commande et "
            "les instructions importantes.\n\n"
            "Pour obtenir un billet au format PDF, cliquez sur « Télécharger » sur sa carte dans « "
            "Mes billets », ou sur « Télécharger le PDF » depuis sa page de détail.\n\n"
            "Le PDF contient les informations de l’événement, le QR code, vos coordonnées et des "
            "informations pratiques. Chaque billet occupe une page A4, avec un QR code d’au moins "
            "4 cm pour une lecture facile à l’entrée.\n\n"
            "Vous ne voyez pas vos billets après le paiement ? Vérifiez que vous êtes connecté au "
            "compte qui a passé la commande, puis contactez le service client."
        ),
        "body_en": (
            "1. Log in to your account.\n"
            "2. Click “My tickets” in the navigation bar.\n"
            "3. Your tickets are shown as cards, with the title of the event, the date and time, "
            "the type of ticket, the QR code and the state of the ticket (valid or used).\n\n"
            "To see a ticket in full, click “Details”. Its page shows all the "
            "information about the event, the QR code in a large format, the order reference and "
            "the important instructions.\n\n"
            "To get a ticket as a PDF, click “Download” on its card in “My "
            "tickets”, or “Download the PDF” on its details page.\n\n"
            "The PDF contains the event information, the QR code, your contact details and "
            "practical information. Each ticket fills one A4 page, with a QR code at least 4 cm "
            "wide so that it scans easily at the entrance.\n\n"
            "Can’t see your tickets after paying? Check that you are logged in to the account that "
            "placed the order, then contact customer service."
        ),
        "keywords": (
            "billets e-billet mes billets télécharger pdf imprimer qr code détails référence "
            "introuvable pas reçu"
        ),
    },
    {
        "slug": "regenerer-le-qr-code",
        "section": "Vos billets",
        "section_en": "Your tickets",
        "title": "Régénérer le QR code d’un billet",
        "title_en": "Regenerate a ticket’s QR code",
        "body": (
            "Votre QR code vous donne accès au site de l’épreuve. Si vous pensez qu’il a pu être "
            "copié (capture d’écran partagée, PDF transmis, téléphone perdu ou volé…), "
            "régénérez-le.\n\n"
            "1. Connectez-vous à votre compte, au besoin depuis un autre appareil.\n"
            "2. Dans « Mes billets », cliquez sur « Détails » sur le billet concerné.\n"
            "3. Cliquez sur « Régénérer le QR code », puis confirmez sur l’écran qui rappelle ce "
            "qui va se passer.\n\n"
            "Un nouveau QR code remplace aussitôt l’ancien. L’ancien QR code cesse de fonctionner, "
            "tout comme les captures d’écran, impressions et PDF qui le reproduisent.\n\n"
            "Le numéro du billet, imprimé sous le QR code, ne change pas : il reste le secours "
            "quand un QR code ne se lit pas, mais il ne fait entrer que sur présentation d’une "
            "pièce d’identité au nom du titulaire du billet.\n\n"
            "Pensez ensuite à télécharger de nouveau le PDF ou à réimprimer le billet, puisque "
            "l’ancien QR code sera refusé à l’entrée."
        ),
        "body_en": (
            "Your QR code is what gets you into the venue. If you think it may have been copied (a "
            "shared screenshot, a forwarded PDF, a lost or stolen phone…), regenerate it.\n\n"
            "1. Log in to your account, from another device if need be.\n"
            "2. In “My tickets”, click “Details” on the ticket "
            "concerned.\n"
            "3. Click “Regenerate the QR code”, then confirm on the screen that says what will "
            "happen.\n\n"
            "A new QR code immediately replaces the old one. The old QR code stops working, and so "
            "do any screenshots, printouts and PDFs that show it.\n\n"
            "The ticket number, printed under the QR code, does not change: it remains the "
            "fallback when a QR code will not scan, but it lets in only on presentation of an "
            "identity document in the ticket holder’s name.\n\n"
            "Remember to download the PDF again or reprint the ticket afterwards, as the old QR "
            "code will be refused at the entrance."
        ),
        "keywords": (
            "QR code perdu téléphone volé capture d'écran copie partagé fraude régénérer nouveau "
            "qr code sécurité billet"
        ),
    },
    {
        "slug": "presenter-ses-billets",
        "section": "Le jour de l'épreuve",
        "section_en": "On the day",
        "title": "Préparer et présenter ses billets à l’entrée",
        "title_en": "Get your tickets ready and show them at the entrance",
        "body": (
            "Avant l’épreuve, choisissez comment présenter vos billets. Version électronique : "
            "gardez-les sur votre smartphone, dans « Mes billets » sur JO E-Tickets ou en PDF "
            "téléchargés sur votre téléphone. Version imprimée : imprimez les PDF, de préférence "
            "en couleur, un billet par page, en vérifiant que le QR code est bien lisible.\n\n"
            "À l’entrée du site :\n\n"
            "1. Présentez vos billets, sur smartphone ou imprimés.\n"
            "2. Un contrôleur scanne le QR code de chaque billet.\n"
            "3. Le système vérifie automatiquement l’authenticité et la validité du billet.\n"
            "4. Une fois le billet validé, vous pouvez accéder à l’épreuve.\n\n"
            "Chaque billet ne peut servir qu’une seule fois : après validation, il est marqué "
            "comme « Utilisé » dans « Mes billets », et toute nouvelle présentation, même d’une "
            "copie, est refusée.\n\n"
            "QR code qui change toutes les 15 secondes : pour la plupart des épreuves, à partir "
            "de 72 h avant leur début, le QR code de vos billets se renouvelle toutes les 15 "
            "secondes et seul votre téléphone peut le produire : une capture d’écran ou une copie "
            "ne permet pas d’entrer. Ouvrez vos billets sur votre téléphone avant d’arriver (une "
            "connexion est nécessaire la première fois), puis gardez la page ouverte : le code "
            "continue de changer sans réseau. Un billet imprimé (PDF) reste accepté, après "
            "vérification d’une pièce d’identité à votre nom.\n\n"
            "Le QR code ne passe pas ? Montez la luminosité de votre écran et affichez le QR code "
            "en entier. Si le problème persiste, présentez le billet imprimé.\n\n"
            "Conseils pratiques : arrivez au moins 1 h avant le début de l’épreuve, munissez-vous "
            "d’une pièce d’identité (elle pourra vous être demandée), chargez votre smartphone si "
            "vous utilisez la version électronique, et conservez vos billets imprimés dans un "
            "endroit sec et sûr.\n\n"
            "Téléphone perdu ? Connectez-vous à JO E-Tickets depuis un autre appareil : vos "
            "billets y sont toujours accessibles."
        ),
        "body_en": (
            "Before the event, choose how you will show your tickets. Electronic version: keep "
            "them on your smartphone, in “My tickets” on JO E-Tickets or as PDFs "
            "downloaded to your phone. Printed version: print the PDFs, in colour if possible, one "
            "ticket per page, making sure the QR code is clearly readable.\n\n"
            "At the venue entrance:\n\n"
            "1. Show your tickets, on your smartphone or printed.\n"
            "2. A controller scans the QR code of each ticket.\n"
            "3. The system automatically checks that the ticket is genuine and valid.\n"
            "4. Once the ticket is validated, you can enter the event.\n\n"
            "Each ticket can only be used once: after validation, it is marked “Used” "
            "in “My tickets”, and any further attempt to use it, even a copy, is refused.\n\n"
            "QR code that changes every 15 seconds: for most events, from 72 hours before they "
            "start, your tickets’ QR code is renewed every 15 seconds and only your phone can make "
            "it: a screenshot or a copy does not get in. Open your tickets on your phone before "
            "you arrive (a connection is needed the first time), then keep the page open: the "
            "code keeps changing without network. A printed ticket (PDF) is still accepted, after "
            "a check of an identity document in your name.\n\n"
            "QR code won’t scan? Turn up your screen brightness and show the whole QR code. If the "
            "problem persists, show the printed ticket.\n\n"
            "Practical tips: arrive at least 1 hour before the event starts, bring ID (you may be "
            "asked for it), charge your smartphone if you are using the electronic version, and "
            "keep printed tickets in a dry, safe place.\n\n"
            "Lost your phone? Log in to JO E-Tickets from another device: your tickets are still "
            "there."
        ),
        "keywords": (
            "entrée contrôle scanner scan jour J accès stade site épreuve imprimer smartphone "
            "utilisé validé pièce d'identité arriver en avance capture d'écran code dynamique "
            "15 secondes"
        ),
    },
]
