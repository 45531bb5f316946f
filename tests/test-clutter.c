/* test-clutter.c — the clutter filter: heuristics per language, trap articles, rules, corpus
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <libxml/HTMLparser.h>

#include "gazette-clutter.h"

/* Three paragraphs of ordinary prose around the block under test, so the article's main run
 * is found as it would be on a real page. */
#define PROSE_1 "The council met on Tuesday evening to discuss the new bus timetable, which " \
                "will add two early services on weekdays and one late service on Saturdays."
#define PROSE_2 "Residents of the northern estates had asked for the change for years, saying " \
                "that the first bus arrived too late for anyone starting work at seven."
#define PROSE_3 "The operator said the extra journeys would cost about ninety thousand a year " \
                "and would be reviewed after twelve months of passenger counts."

static htmlDocPtr
parse (const char *html)
{
  return htmlReadMemory (html, strlen (html), NULL, "utf-8",
                         HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING
                         | HTML_PARSE_NONET);
}

static void
append_text (xmlNodePtr  node,
             GString    *out)
{
  for (; node != NULL; node = node->next)
    {
      if (node->type == XML_TEXT_NODE && node->content != NULL)
        {
          g_string_append (out, (const char *) node->content);
          g_string_append_c (out, ' ');
        }
      else if (node->type == XML_ELEMENT_NODE
               && g_strcmp0 ((const char *) node->name, "script") != 0
               && g_strcmp0 ((const char *) node->name, "style") != 0)
        {
          append_text (node->children, out);
          g_string_append_c (out, ' ');
        }
    }
}

/* Lower case, whitespace folded, as the corpus scorer compares. */
static char *
fold (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0xA0)
        {
          space = TRUE;
          continue;
        }
      if (space && out->len > 0)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, g_unichar_tolower (c));
    }
  return g_string_free (out, FALSE);
}

static xmlNodePtr
find_body (htmlDocPtr doc)
{
  for (xmlNodePtr n = xmlDocGetRootElement (doc)->children; n != NULL; n = n->next)
    if (n->type == XML_ELEMENT_NODE && g_str_equal ((const char *) n->name, "body"))
      return n;
  return xmlDocGetRootElement (doc);
}

/* Both phases, as the extractor runs them; returns the folded text left in <body>. */
static char *
filter_text (GazetteClutterFilter *filter,
             htmlDocPtr            doc,
             const char           *url,
             GPtrArray            *removals)
{
  g_autoptr(GString) text = g_string_new (NULL);

  gazette_clutter_filter_apply (filter, doc, NULL, url, GAZETTE_CLUTTER_PHASE_PAGE, removals);
  gazette_clutter_filter_apply (filter, doc, find_body (doc), url, GAZETTE_CLUTTER_PHASE_ARTICLE,
                                removals);
  append_text (find_body (doc), text);
  return fold (text->str);
}

static gboolean
contains (const char *folded,
          const char *needle)
{
  g_autofree char *n = fold (needle);

  return strstr (folded, n) != NULL;
}

typedef struct
{
  const char *name;
  const char *block;    /* put in the middle of the article's body */
  const char *gone;     /* must not remain */
} Case;

/* Obfuscated class names on purpose: the text has to carry it. */
static const Case language_cases[] = {
  { "en-appeal",
    "<div class='k1'><p>… we have a small favor to ask. Independent reporting costs money.</p>"
    "<a href='/give'>Donate now</a> <button>Remind me later</button></div>",
    "we have a small favor to ask" },
  { "en-paywall",
    "<div class='k2'><p>Subscribe to continue reading.</p><a href='/s'>Start your subscription</a>"
    "</div>", "Subscribe to continue reading" },
  { "ru-appeal",
    "<div class='k3'><p>Поддержите нас: мы существуем на пожертвования читателей.</p>"
    "<a href='/d'>Поддержать</a></div>", "Поддержите нас" },
  { "uk-appeal",
    "<aside class='k4'><p>Підтримайте незалежну журналістику.</p>"
    "<button>Нагадати мені пізніше</button></aside>", "Підтримайте незалежну" },
  { "be-appeal",
    "<div class='k5'><p>Падтрымайце незалежныя медыя.</p><a href='/d'>Ахвяраваць 5 €</a></div>",
    "Падтрымайце незалежныя" },
  { "de-appeal",
    "<div class='k6'><p>Guter Journalismus braucht Sie.</p><a href='/s'>Jetzt spenden</a></div>",
    "Guter Journalismus braucht Sie" },
  { "fr-appeal",
    "<div class='k7'><p>Soutenez-nous : faites un don dès aujourd’hui.</p><a href='/d'>Je donne</a>"
    "</div>", "faites un don" },
  { "es-appeal",
    "<div class='k8'><p>El periodismo local necesita lectores comprometidos.</p>"
    "<a href='/s'>Hazte socio</a></div>", "Hazte socio" },
  { "pt-paywall",
    "<div class='k9'><p>Assine a Folha e tenha acesso ilimitado.</p><a href='/a'>Assinar agora</a>"
    "</div>", "tenha acesso ilimitado" },
  { "it-paywall",
    "<div class='k10'><p>Abbonati per leggere tutti gli articoli.</p><a href='/a'>Scopri l’offerta</a>"
    "</div>", "Abbonati per leggere" },
  { "pl-appeal",
    "<div class='k11'><p>Wesprzyj nas – bez Ciebie nie damy rady.</p><a href='/w'>Wpłać</a></div>",
    "bez Ciebie nie damy rady" },
  { "en-newsletter",
    "<div class='k12'><p>Sign up for our newsletter</p><form><input type='email'>"
    "<button>Go</button></form></div>", "Sign up for our newsletter" },
  { "es-cookie",
    "<div class='k13'><p>Utilizamos cookies propias y de terceros.</p><button>Aceptar todas</button>"
    "</div>", "Utilizamos cookies propias" },
  { "en-share",
    "<div class='k14'><a href='https://facebook.com/sharer'>Share on Facebook</a> "
    "<a href='https://x.com/intent'>Share on X</a></div>", "Share on Facebook" },
  { "en-related",
    "<div class='k15'><h3>Read more</h3><ul><li><a href='/1'>Another story about buses</a></li>"
    "<li><a href='/2'>Trains are late again</a></li></ul></div>", "Another story about buses" },
  { "de-ad-label", "<div class='k16'><span>Anzeige</span><div></div></div>", "Anzeige" },
  { "ja-paywall",
    "<div class='k17'><p>無料会員登録で、有料記事をお読みいただけます</p>"
    "<a href='/r'>会員登録する（無料）</a></div>", "有料記事をお読みいただけます" },
  { "zh-related",
    "<div class='k18'><h3>相关阅读</h3><ul><li><a href='/1'>公交线路调整</a></li></ul></div>",
    "公交线路调整" },
  { "ar-share", "<div class='k19'><a href='https://wa.me/'>شارك عبر واتساب</a></div>",
    "شارك عبر واتساب" },
  { "structure-share", "<div class='social-share'><a href='/f'>Facebook</a> <a href='/t'>X</a></div>",
    "Facebook" },
  { "hidden", "<div style='display: none'>Secret menu</div>", "Secret menu" },
  /* Label lines standing alone: a byline, a credit, a tool, a call to action. */
  { "en-byline", "<p>Written by Jane Doe</p>", "Written by Jane Doe" },
  { "en-posted", "<p><span>Posted by David at December 16, 2025 11:15 AM</span></p>",
    "Posted by David" },
  { "de-byline", "<p>Geschrieben von Hans Müller</p>", "Geschrieben von" },
  { "pt-byline", "<p>Escrito por Ana Souza</p>", "Escrito por" },
  { "en-credit", "<figure><img src='/bus.jpg' alt=''><figcaption>(Image credit: Reuters)"
    "</figcaption></figure>", "Image credit" },
  { "fr-credit", "<p>Crédit photo : AFP</p>", "Crédit photo" },
  { "uk-credit", "<p>Джерело фото: Укрінформ</p>", "Джерело фото" },
  { "en-pin", "<p>Pin this for later!</p>", "Pin this for later" },
  { "en-ad-heading", "<h2>Advertisement: New AI Book!</h2>", "New AI Book" },
  { "en-comment-via", "<p>Comment via: <a href='https://facebook.com/p/1'>facebook</a>, "
    "<a href='https://example.substack.com/p/1'>substack</a></p>", "Comment via" },
  { "ru-comments", "<h3>Добавить комментарий</h3>", "Добавить комментарий" },
  { "es-register", "<p><a href='/r'>Registrarse</a></p>", "Registrarse" },
  { "it-promo", "<p><a href='https://shop.example.com/x'>Acquista ora</a></p>", "Acquista ora" },
  { "pl-follow", "<p>Obserwuj nas na Facebooku</p>", "Obserwuj nas" },
  { "en-newsletter-line", "<h3>Like what you’re reading? Subscribe to the monthly newsletter!</h3>",
    "Like what you" },
  { "en-disclosure", "<p>Disclosure: as an Amazon Associate I earn from qualifying purchases."
    "</p>", "qualifying purchases" },
  { "de-disclosure", "<p>Hinweis: Dieser Artikel enthält Affiliate-Links.</p>",
    "enthält Affiliate-Links" },
  { "es-disclosure", "<p>Este artículo contiene enlaces de afiliados.</p>",
    "contiene enlaces de afiliados" },
  { "button-link", "<p><a class='btn btn-primary' href='/shop/poster'>Buy poster</a></p>",
    "Buy poster" },
  { "disclosure-block", "<div>Note: the views expressed here are not necessarily those of "
    "the institute.</div>", "not necessarily those" },
  { "copyright", "<p>© Copyright 2004-2025 Jane Doe and the Example Society. All rights "
    "reserved.</p>", "All rights reserved" },
  { "comment-consent", "<p>By posting a comment, you consent to have your information collected "
    "and used in accordance with our <a href='/privacy'>privacy policy</a>.</p>",
    "you consent to have" },
  { "de-comment-consent", "<p>Mit dem Absenden des Kommentars erklären Sie sich mit der "
    "Speicherung Ihrer Daten einverstanden.</p>", "Speicherung Ihrer Daten" },
  { "fr-copyright", "<div>© 2025 Journal de la ville — tous droits réservés</div>",
    "tous droits réservés" },
  { "structure-author-bio", "<div class='entry-author-description author-bio'><p>Angela first "
    "became a professional writer in kindergarten, selling poems in handwritten cards to her "
    "family. Today she writes about gardens, houses and the people who keep them.</p></div>",
    "Angela first became" },
  { "date-line", "<p><i><time datetime='2025-12-15'>15 Dec, 2025</time></i></p>", "15 Dec" },
  { "form", "<form action='/lead'><p>Fill in this form to get the guide.</p>"
    "<input type='text' name='name'><input type='email' name='email'></form>",
    "Fill in this form" },
  /* Boxes whose class names say what they are. */
  { "structure-meta", "<p class='entry-meta'><a href='#comments'>109 Comments</a> | "
    "Last updated: March 11, 2019</p>", "109 Comments" },
  { "structure-author", "<div class='post-author-box'><p>Jane Doe writes about transport and "
    "cities for the paper.</p></div>", "Jane Doe writes about transport" },
  { "structure-disclaimer", "<p class='disclaimer'>Products are chosen independently by our "
    "editors.</p>", "chosen independently" },
  { "structure-cta", "<div class='post-cta'><h4>Want to win more jobs?</h4><p>Grow your "
    "business with our software.</p></div>", "Want to win more jobs" },
  { "overlay", "<div role='dialog'><p>Enable notifications?</p><button>Yes</button></div>",
    "Enable notifications" },
  /* A sign-up box whose lead says where the mail goes, and a channel promotion. */
  { "es-newsletter-mail", "<div class='k20'><p>Recibe cada mañana las noticias en tu correo</p>"
    "<form><input type='email'><label><input type='checkbox'> Acepto la política de privacidad"
    "</label><button>Enviar</button></form></div>", "las noticias en tu correo" },
  { "it-newsletter-mail", "<div class='k21'><p>Le notizie del giorno nella tua casella di posta"
    "</p><form><input type='email'><button>Iscriviti</button></form></div>",
    "nella tua casella di posta" },
  { "ru-follow-channel", "<div class='k22'><p>Подписывайтесь на наш Telegram-канал, чтобы первыми "
    "узнавать новости города</p><a href='https://t.me/example'>Подписаться</a></div>",
    "Подписывайтесь на наш" },
  { "es-follow-channel", "<div class='k23'><p>Únete a nuestro canal de WhatsApp y recibe las "
    "noticias más importantes</p><a href='https://whatsapp.com/channel/x'>Unirme</a></div>",
    "Únete a nuestro canal" },
  /* Listen, print and e-mail toolbars, share bars, popular lists and reprint notices. */
  { "de-tools", "<ul class='k24'><li><button>Artikel anhören</button></li><li><button>Drucken"
    "</button></li><li><a href='mailto:?subject=Bus'>Per E-Mail teilen</a></li></ul>",
    "Artikel anhören" },
  { "it-tools", "<div class='k25'><button>Ascolta l’articolo</button> <button>Stampa</button> "
    "<a href='mailto:?subject=Bus'>Invia per email</a></div>", "Ascolta l" },
  { "be-share", "<div class='k26'><a href='https://t.me/share/url?url=x'>Падзяліцца ў Telegram"
    "</a> <button>Скапіяваць спасылку</button></div>", "Скапіяваць спасылку" },
  { "be-popular", "<aside class='k27'><h2>Папулярнае</h2><ol><li><a href='/1'>Цэны на бульбу "
    "выраслі на трэць</a></li><li><a href='/2'>Расклад аўтобусаў змяніўся</a></li></ol></aside>",
    "Цэны на бульбу" },
  { "ru-reprint", "<p>© 2025 «Вестник». При полном или частичном использовании материалов ссылка "
    "обязательна.</p>", "ссылка обязательна" },
  { "it-reprint", "<p>© Riproduzione riservata</p>", "Riproduzione riservata" },
  /* A share bar of network names only, told by where its links go. */
  { "share-links", "<div class='k28'><a href='https://www.facebook.com/sharer/sharer.php?u=x'>"
    "Facebook</a> <a href='https://twitter.com/intent/tweet?url=x'>X</a> "
    "<a href='https://www.linkedin.com/shareArticle?url=x'>LinkedIn</a> "
    "<a href='mailto:?subject=Buses'>Email</a></div>", "LinkedIn" },
  /* A label standing alone between blocks, in no paragraph. */
  { "fr-label-span", "<span class='k29'>Article réservé aux abonnés</span>",
    "réservé aux abonnés" },
  { "uk-typo-notice", "<p>Помітили помилку? Виділіть її та натисніть Ctrl+Enter</p>",
    "Помітили помилку" },
  { "uk-channel-promo", "<div class='k30'><p>Більше новин — у нашому Telegram-каналі</p>"
    "<a href='https://t.me/example'>Перейти</a></div>", "у нашому Telegram" },
  { "pl-video-continues", "<div class='k31'><div data-player='jw'></div><p>Dalsza część "
    "artykułu pod materiałem wideo</p></div>", "Dalsza część artykułu" },
  { "en-recommended", "<div class='k32'><h2>Recommended</h2><div><a href='/1'><img src='/a.jpg' "
    "alt=''><span>Canola prices slide again</span></a></div><div><a href='/2'><span>Wildfire "
    "season starts early</span></a></div></div>", "Canola prices" },
  { "uk-partners", "<section class='k33'><h2>Новини партнерів</h2><a href='https://p.example.com/1'>"
    "Лікарі назвали продукти</a> <a href='https://p.example.com/2'>Як заощадити на комуналці</a>"
    "</section>", "Лікарі назвали" },
  { "en-footer-links", "<footer class='k34'><a href='/terms'>Terms of use</a> "
    "<a href='/privacy'>Privacy policy</a> <a href='/contact'>Contact us</a></footer>",
    "Terms of use" },
  /* A box asking for an e-mail address, whatever its lead line says. */
  { "newsletter-email-form", "<div class='k35'><p>The morning briefing from our newsroom</p>"
    "<form action='/nl'><input type='email' name='e'><button>Go</button></form></div>",
    "The morning briefing" },
  { "pt-newsletter-mail", "<div class='k36'><p>As notícias da manhã, enviadas para o seu email."
    "</p><a href='/nl'>Subscrever</a></div>", "enviadas para o seu email" },
  { "pt-push", "<div class='k37'><p>Ative as notificações e seja o primeiro a saber.</p>"
    "<button>Agora não</button><button>Ativar</button></div>", "Ative as notificações" },
  { "it-whatsapp-channel", "<div class='k38'><p>Segui la redazione sul nostro canale WhatsApp</p>"
    "<a href='https://whatsapp.com/channel/x'>Iscriviti</a></div>", "sul nostro canale WhatsApp" },
  /* Cards that sell: a title or picture, a line, a button to a sign-up, shop or affiliate. */
  { "card-sign-up", "<div class='k20'><h2>Struggling with sourdough?</h2><img src='/s.jpg' "
    "alt=''><p>Join the free workshop and learn to keep a starter alive from day one.</p>"
    "<a class='wp-block-button__link' href='/sourdough-webinar-opt-in/'>Save your spot</a>"
    "</div>", "Struggling with sourdough" },
  { "card-affiliate", "<div class='k21'><div><h3>Projector X1</h3><a class='link-button' "
    "href='/reviews/x1'>Read the review</a></div><div><h3>Buy from one of our partners:</h3>"
    "<a class='link-button' href='https://amzn.to/3abc'>Buy on Amazon</a></div></div>",
    "Buy from one of our partners" },
  { "card-product", "<div class='k22'><a href='/product/cam-4'><img src='/c.png' alt=''></a>"
    "<a class='k23' href='/product/cam-4'>Camera Kit 4</a><p role='heading'>4K camera with "
    "a wide view</p><p>Night vision, local storage, up to eight cameras.</p>"
    "<a class='ui-button' href='/product/cam-4'>Learn more</a></div>", "wide view" },
  { "card-by-structure", "<div class='premium-services'><h2>Premium services</h2><p>Invest "
    "better with our stock picks and portfolio guidance.</p><a class='k24-btn-gold' "
    "href='/services/'>View services</a></div>", "Invest better" },
  /* A house notice over the article: a newsletter and a membership in one breath. */
  { "en-member-notice", "<section class='k26'><p><em>The Courier covers one topic: transport. "
    "Sign up for our newsletters to have stories delivered to your inbox. Consider becoming a "
    "member to keep us going.</em></p></section>", "Consider becoming a member" },
  { "de-member-notice", "<section class='k27'><p>Der Kurier berichtet über Verkehr. Jetzt "
    "Mitglied werden und den Newsletter abonnieren: Sie erhalten alle Artikel zuerst.</p>"
    "</section>", "Mitglied werden" },
  /* A link to a place on the page labelled as a tool, at the head of a sentence. */
  { "jump-link", "<p><a href='#the-list'>Jump to the list ⤵</a> The crossing takes forty "
    "minutes in calm weather.</p>", "Jump to the list" },
  /* A widget of drop-downs: products to compare, with their ratings. */
  { "choosers", "<section class='k25'><h2>Compare specs</h2><div><span>Select up to "
    "3</span><select><option>Mouse A</option><option>Mouse B</option></select><select><option>"
    "Mouse B</option></select></div><div>Our pick</div><div>Rating 4.5 Outstanding</div>"
    "</section>", "Select up to 3" },
  /* Sales pitches in a small box with a link. */
  { "en-first-order", "<div class='k20'><p>Get 10% off your first order with the code BUS10."
    "</p><a href='/shop'>See the range</a></div>", "off your first order" },
  { "de-contact", "<div class='k21'><p>Kontaktieren Sie uns für ein unverbindliches Gespräch."
    "</p><a href='/k'>Zum Formular</a></div>", "unverbindliches Gespräch" },
  { "fr-quote", "<div class='k22'><p>Demandez un devis gratuit en ligne.</p>"
    "<a href='/d'>Formulaire</a></div>", "devis gratuit" },
};

static void
test_clutter_language (gconstpointer data)
{
  const Case *c = data;
  GazetteClutterFilter *filter = gazette_clutter_filter_get_default ();
  g_autofree char *html = g_strdup_printf ("<html><body><article><h1>Buses</h1><div class='b'>"
                                           "<p>" PROSE_1 "</p><p>" PROSE_2 "</p>%s<p>" PROSE_3
                                           "</p></div></article></body></html>", c->block);
  htmlDocPtr doc = parse (html);
  g_autoptr(GPtrArray) removals = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   gazette_clutter_removal_free);
  g_autofree char *text = filter_text (filter, doc, "https://news.example.org/a", removals);
  GazetteClutterRemoval *removal;

  g_assert_false (contains (text, c->gone));
  g_assert_true (contains (text, PROSE_1));
  g_assert_true (contains (text, PROSE_2));
  g_assert_true (contains (text, PROSE_3));
  g_assert_cmpuint (removals->len, ==, 1);
  removal = g_ptr_array_index (removals, 0);
  g_assert_nonnull (removal->reason);
  g_assert_true (g_str_has_prefix (removal->rule, "heuristic:") || g_str_has_prefix (removal->rule, "##"));
  g_assert_nonnull (removal->excerpt);
  xmlFreeDoc (doc);
}

/* Articles about donations, paywalls and cookies keep every sentence. */
static const char * const trap_paragraphs[] = {
  "The charity asked readers to support our journalism fund, and said “we have a small favor to "
  "ask” was the line that raised the most money in its history.",
  "Many newspapers now ask you to subscribe to continue reading, and some show a box that says "
  "“We use cookies” before the article even loads.",
  "Поддержите нас, — написали организаторы сбора, и за неделю собрали больше, чем за весь "
  "прошлый год.",
  "Підтримайте місцевих фермерів, закликала громада, і ярмарок зібрав понад тисячу відвідувачів.",
  "„Jetzt spenden“ stand auf den Plakaten, die der Verein in der ganzen Stadt aufgehängt hatte.",
  "L’association a choisi le slogan « Faites un don » pour sa campagne d’hiver.",
  "El club lanzó la campaña «Hazte socio» y sumó dos mil personas en un mes.",
  "Readers who want to help can <a href='/fund'>donate to the lifeboat appeal</a> online or at "
  "the station shop.",
  /* Sentences that start like a label line. */
  "Share this timeline with vendors to ensure smooth coordination.",
  "Written by a committee of three, the report recommends fewer stops.",
  "Photo credit disputes between agencies are common, the union said.",
  "Advertisement revenue fell by a third in the first quarter.",
  "Posted by hand, the letters took a week to arrive.",
  "Subscribe, share and comment: the station’s new slogan drew criticism.",
  "Related work by the same team appeared last year.",
  "Geschrieben von Hand, erreichten die Briefe das Amt erst nach einer Woche.",
  "Crédit photo et droits d’auteur restent au cœur du conflit entre les agences.",
  "Obserwuj nas — apelowali organizatorzy, zapowiadając kolejne spotkania w tym miesiącu.",
  /* An article about disclosures, and dates inside sentences. */
  "Bloggers who use affiliate links must say so plainly, and “we may earn a commission” is "
  "not enough, the regulator said.",
  "Die Verbraucherzentrale rät: Wer „erhalten wir eine Provision“ liest, sollte Preise "
  "vergleichen.",
  "The council will meet again on <time datetime='2026-01-06'>6 January</time> to vote on the "
  "timetable.",
  "By posting a comment, users of the forum agreed to terms few of them had read, the court "
  "found.",
  "The label on the old recording read “all rights reserved”, but the archive found no owner.",
  /* Sentences with the words of a sign-up box or a channel promotion. */
  "«Revisa la factura que te llega en tu correo», aconsejó la asociación de consumidores a los "
  "vecinos afectados.",
  "Подписывайтесь на наш канал, — призывал блогер своих зрителей, пока суд не заблокировал его "
  "аккаунт.",
  "Il sindaco ha spiegato che l’avviso arriverà nella tua casella di posta solo se ti sei "
  "registrato sul portale del comune.",
  /* Sentences about printing, listening and reprinting. */
  "Die Druckerei will ab Mai wieder Zeitungen drucken, sagte der Geschäftsführer.",
  "Ascolta, ha detto il sindaco ai consiglieri, prima di mettere ai voti la delibera sul porto.",
  "На обложке сборника стояло «При полном или частичном использовании материалов ссылка "
  "обязательна», хотя авторы давно разрешили перепечатку.",
  /* Share links in a sentence, and sentences that start like a label line. */
  "Readers shared the story on <a href='https://www.facebook.com/sharer/sharer.php?u=x'>Facebook"
  "</a> and <a href='https://twitter.com/intent/tweet?url=x'>X</a> thousands of times.",
  "Spotted a typo in the ballot papers, the clerk ordered a reprint of all twelve thousand.",
  "Помітили помилку в рахунках, мешканці звернулися до управителя будинку.",
  "Recommended by the panel, the plan now goes to the full council in March.",
  "Becoming a member of the union cost him his job, the driver told the tribunal.",
  "Wer Mitglied werden will, muss im Landkreis wohnen, sagt der Vorsitzende des Vereins.",
  /* Articles about quotes, discounts and contact forms. */
  "Homeowners should request a quote from at least three builders and compare them line by "
  "line, the guide says.",
  "Shops that give 20% off your first order lose money on most new customers, the study found.",
  "Die Firma schrieb „Kontaktieren Sie uns“ auf jedes Plakat, doch kaum jemand rief an.",
};

static void
test_clutter_trap (void)
{
  GazetteClutterFilter *filter = gazette_clutter_filter_get_default ();
  g_autoptr(GString) html = g_string_new ("<html><body><article><h1>Appeals</h1><div>");
  g_autoptr(GPtrArray) removals = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   gazette_clutter_removal_free);
  htmlDocPtr doc;
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (trap_paragraphs); i++)
    g_string_append_printf (html, "<p>%s</p>", trap_paragraphs[i]);
  g_string_append (html, "</div></article></body></html>");
  doc = parse (html->str);
  text = filter_text (filter, doc, NULL, removals);
  for (guint i = 0; i < G_N_ELEMENTS (trap_paragraphs); i++)
    {
      g_autoptr(GString) plain = g_string_new (trap_paragraphs[i]);

      g_string_replace (plain, "<a href='/fund'>", "", 0);
      g_string_replace (plain, "<a href='https://www.facebook.com/sharer/sharer.php?u=x'>", "", 0);
      g_string_replace (plain, "<a href='https://twitter.com/intent/tweet?url=x'>", "", 0);
      g_string_replace (plain, "</a>", "", 0);
      g_string_replace (plain, "<time datetime='2026-01-06'>", "", 0);
      g_string_replace (plain, "</time>", "", 0);
      g_assert_true (contains (text, plain->str));
    }
  g_assert_cmpuint (removals->len, ==, 0);
  xmlFreeDoc (doc);
}

/* Cards that are the article: a round-up's items side by side, a product card in every item
 * of a list with its words, a teaser of the site's own article, a section with a button. */
static const char * const card_traps[] = {
  "<ul><li><div class='r'><img src='/1.jpg' alt=''><h3>Lime chicken</h3><p>Tender chicken with "
  "a bright lime glaze, ready in twenty minutes.</p><a class='btn' href='/shop/lime'>Get the "
  "recipe</a></div></li><li><div class='r'><img src='/2.jpg' alt=''><h3>Salmon bites</h3><p>"
  "Crisp salmon bites with a sweet and hot honey sauce.</p><a class='btn' href='/shop/salmon'>"
  "Get the recipe</a></div></li></ul>",
  "<h2>1. Mouse One</h2><div class='card'><img src='/m1.jpg' alt=''><h3>Mouse One</h3><div>"
  "Cheap and light wired mouse with an accurate sensor.</div><a class='button' "
  "href='https://amzn.to/m1'>See it at the shop</a></div><p>" PROSE_1 "</p>"
  "<h2>2. Mouse Two</h2><div class='card'><img src='/m2.jpg' alt=''><h3>Mouse Two</h3><div>"
  "A heavier wireless mouse with a long-lasting battery.</div><a class='button' "
  "href='https://amzn.to/m2'>See it at the shop</a></div><p>" PROSE_2 "</p>"
  "<h2>3. Mouse Three</h2><div class='card'><img src='/m3.jpg' alt=''><h3>Mouse Three</h3><div>"
  "A vertical mouse that keeps the wrist at rest all day.</div><a class='button' "
  "href='https://amzn.to/m3'>See it at the shop</a></div>",
  "<div class='teaser'><img src='/w.jpg' alt=''><h5>Eight wines to know</h5><p>Just getting "
  "started? Here are eight common wines that everyone should know.</p><a class='btn' "
  "href='/review/common-wines/'>See the list</a></div>",
  "<div class='step'><h3>Install the app</h3><p>Download the installer for your system, open it "
  "and follow the steps on the screen; the whole set-up takes about five minutes, and the app "
  "asks for no account. When it is done, open the settings and choose the folder the app "
  "should watch, then restart it once so the change is picked up.</p>"
  "<a class='button' href='/download/installer'>Download</a></div>",
  /* A tool's words on a link that leaves the page, an in-page link that is no tool, a sentence
   * that starts with the words. */
  "<p><a href='/guide/conclusion'>Jump to the conclusion</a> if the history bores you.</p>",
  "<p>See <a href='#fares'>the table of fares</a> below for the prices of each crossing.</p>",
  "<p>Jump to the end of the timetable and you will find the night boats.</p>",
  /* Drop-downs beside the article's own prose: a table with units to choose. */
  "<div><span>Units</span><select><option>km</option><option>miles</option></select><select>"
  "<option>kg</option></select><p>The distances below are measured from the pier to each "
  "island's harbour wall.</p></div>",
};

static void
test_clutter_card_traps (void)
{
  GazetteClutterFilter *filter = gazette_clutter_filter_get_default ();

  for (guint i = 0; i < G_N_ELEMENTS (card_traps); i++)
    {
      g_autofree char *html = g_strdup_printf ("<html><body><article><h1>Cards</h1><div>"
                                               "<p>" PROSE_1 "</p><p>" PROSE_2 "</p>%s<p>"
                                               PROSE_3 "</p></div></article></body></html>",
                                               card_traps[i]);
      htmlDocPtr doc = parse (html);
      g_autoptr(GPtrArray) removals = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                       gazette_clutter_removal_free);
      g_autofree char *text = filter_text (filter, doc, "https://news.example.org/a", removals);

      for (guint j = 0; j < removals->len; j++)
        g_test_message ("trap %u: removed %s %s", i, ((GazetteClutterRemoval *) g_ptr_array_index (removals, j))->rule,
                        ((GazetteClutterRemoval *) g_ptr_array_index (removals, j))->excerpt);
      g_assert_cmpuint (removals->len, ==, 0);
      g_assert_true (contains (text, PROSE_3));
      xmlFreeDoc (doc);
    }
}

/* The signatures read from a paragraph's plain text, as the extractor asks for its edges. */
static void
test_clutter_text_signature (void)
{
  g_assert_cmpstr (gazette_clutter_text_signature ("Catch up on our coverage, and follow us on "
                                                   "Facebook to stay up to date."), ==, "follow");
  g_assert_cmpstr (gazette_clutter_text_signature ("To get started, request a quote here."), ==,
                   "promo");
  g_assert_cmpstr (gazette_clutter_text_signature ("Join our community"), ==, "login");
  g_assert_cmpstr (gazette_clutter_text_signature ("Comments (23)"), ==, "comments");
  /* Quoted, a phrase is talked about; a long sentence is no label line. */
  g_assert_null (gazette_clutter_text_signature ("The crew painted “follow us on Facebook” on "
                                                 "the hull."));
  g_assert_null (gazette_clutter_text_signature ("Join the queue at dawn, the harbour master "
                                                 "advised, because the first boat fills up in "
                                                 "minutes on summer weekends."));
  g_assert_null (gazette_clutter_text_signature ("The ferry leaves at half past five."));
  /* Words, not parts of words. */
  g_assert_null (gazette_clutter_text_signature ("They unfollow us on principle."));
}

/* What was removed, kept as text beside a stored article and read back; bad text reads as
 * nothing removed. */
static void
test_clutter_removals_text (void)
{
  g_autoptr(GPtrArray) removals = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   gazette_clutter_removal_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GPtrArray) bad = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autofree char *text = NULL;
  GazetteClutterRemoval *removal = g_new0 (GazetteClutterRemoval, 1);

  g_assert_null (gazette_clutter_removals_to_string (removals));
  removal->reason = g_strdup ("newsletter sign-up");
  removal->rule = g_strdup ("example.com##div[data-x='it\\'s']");
  removal->excerpt = g_strdup ("«Подпишитесь» — it’s free");
  g_ptr_array_add (removals, removal);
  g_ptr_array_add (removals, g_new0 (GazetteClutterRemoval, 1));
  text = gazette_clutter_removals_to_string (removals);
  back = gazette_clutter_removals_from_string (text);
  g_assert_cmpuint (back->len, ==, 2);
  removal = g_ptr_array_index (back, 0);
  g_assert_cmpstr (removal->reason, ==, "newsletter sign-up");
  g_assert_cmpstr (removal->rule, ==, "example.com##div[data-x='it\\'s']");
  g_assert_cmpstr (removal->excerpt, ==, "«Подпишитесь» — it’s free");
  removal = g_ptr_array_index (back, 1);
  g_assert_null (removal->reason);
  g_assert_null (removal->excerpt);

  bad = gazette_clutter_removals_from_string ("[('only two', 'fields')");
  g_assert_cmpuint (bad->len, ==, 0);
  none = gazette_clutter_removals_from_string (NULL);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_clutter_rules (void)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GazetteClutterFilter) filter =
    gazette_clutter_filter_new_from_rules ("##.promo-x\nexample.com##.site-only\n"
                                           "##.bad:has-text(x)\n", warnings);
  const char *page = "<html><body><article><div class='b'><p>" PROSE_1 "</p><p>" PROSE_2
                     "</p><div class='promo-x'>Buy</div><div class='site-only'>Only here</div>"
                     "<p>" PROSE_3 "</p></div></article></body></html>";
  htmlDocPtr doc = parse (page);
  htmlDocPtr other = parse (page);
  g_autoptr(GPtrArray) removals = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   gazette_clutter_removal_free);
  g_autofree char *text = filter_text (filter, doc, "https://www.example.com/x", removals);
  g_autofree char *other_text = filter_text (filter, other, "https://elsewhere.org/", NULL);

  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 0), "line 3: "));
  g_assert_false (contains (text, "Buy"));
  g_assert_false (contains (text, "Only here"));
  g_assert_cmpuint (removals->len, ==, 2);
  g_assert_cmpstr (((GazetteClutterRemoval *) g_ptr_array_index (removals, 0))->rule, ==,
                   "##.promo-x");
  g_assert_false (contains (other_text, "Buy"));
  g_assert_true (contains (other_text, "Only here"));
  xmlFreeDoc (doc);
  xmlFreeDoc (other);
}

/* A rule matching the article's container is wrong for this page: the article stays. */
static void
test_clutter_rule_spares_article (void)
{
  g_autoptr(GazetteClutterFilter) filter = gazette_clutter_filter_new_from_rules ("##.post\n",
                                                                                  NULL);
  htmlDocPtr doc = parse ("<html><body><div class='post'><p>" PROSE_1 "</p><p>" PROSE_2 "</p>"
                          "<p>" PROSE_3 "</p></div></body></html>");
  g_autofree char *text = filter_text (filter, doc, NULL, NULL);

  g_assert_true (contains (text, PROSE_2));
  xmlFreeDoc (doc);
}

/* Every case folder under @dir: no clutter string left, every keep string kept. */
static void
check_case_dir (const char *dir)
{
  GazetteClutterFilter *filter = gazette_clutter_filter_get_default ();
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint cases = 0, leaks = 0, lost = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, "source.html", NULL);
      g_autofree char *meta_path = g_build_filename (dir, name, "meta.json", NULL);
      g_autofree char *html = NULL;
      g_autofree char *meta = NULL;
      g_autofree char *url = NULL;
      g_autofree char *text = NULL;
      gsize length;
      htmlDocPtr doc;
      const char *files[] = { "clutter.txt", "keep.txt" };

      if (!g_file_get_contents (path, &html, &length, NULL))
        continue;
      if (g_file_get_contents (meta_path, &meta, NULL, NULL))
        {
          const char *u = strstr (meta, "\"url\"");

          if (u != NULL && (u = strchr (u + 5, '"')) != NULL && strchr (u + 1, '"') != NULL)
            url = g_strndup (u + 1, strchr (u + 1, '"') - u - 1);
        }
      doc = htmlReadMemory (html, length, url, NULL, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR
                                                     | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
      text = filter_text (filter, doc, url, NULL);
      cases++;
      for (guint k = 0; k < G_N_ELEMENTS (files); k++)
        {
          g_autofree char *list_path = g_build_filename (dir, name, files[k], NULL);
          g_autofree char *list = NULL;
          g_auto(GStrv) lines = NULL;

          if (!g_file_get_contents (list_path, &list, NULL, NULL))
            continue;
          lines = g_strsplit (list, "\n", -1);
          for (guint i = 0; lines[i] != NULL; i++)
            {
              gboolean found;

              if (*g_strstrip (lines[i]) == '\0')
                continue;
              found = contains (text, lines[i]);
              if (k == 0 && found)
                {
                  g_test_message ("%s: clutter left: %s", name, lines[i]);
                  leaks++;
                }
              else if (k == 1 && !found)
                {
                  g_test_message ("%s: article text lost: %s", name, lines[i]);
                  lost++;
                }
            }
        }
      xmlFreeDoc (doc);
    }
  g_test_message ("%s: %u cases, %u leaks, %u keep strings lost", dir, cases, leaks, lost);
  g_assert_cmpuint (cases, >, 0);
  g_assert_cmpuint (leaks, ==, 0);
  g_assert_cmpuint (lost, ==, 0);
}

static void
test_clutter_corpus (void)
{
  const char *root = g_getenv ("GAZETTE_CORPUS_DIR");
  g_autofree char *dir = NULL;

  if (root == NULL || !g_file_test ((dir = g_build_filename (root, "clutter", NULL)),
                                    G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("the shared clutter corpus is absent (GAZETTE_CORPUS_DIR)");
      return;
    }
  check_case_dir (dir);
}

static void
test_clutter_own_cases (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "clutter", NULL);

  check_case_dir (dir);
}

/* A user's list on top of the default filter: its rules add, its exceptions spare. */
static void
test_clutter_user_rules (void)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GazetteClutterFilter) filter =
    gazette_clutter_filter_new_with_user_rules ("example.com##.my-widget\n##div >\n", warnings);
  const char *page = "<html><body><article><div class='b'><p>" PROSE_1 "</p><p>" PROSE_2
                     "</p><div class='my-widget'>Widget words</div><div class='later'>Later"
                     " words</div><p>" PROSE_3 "</p></div></article></body></html>";
  htmlDocPtr doc = parse (page);
  htmlDocPtr again = parse (page);
  g_autofree char *text = filter_text (filter, doc, "https://www.example.com/x", NULL);
  g_autofree char *again_text = NULL;
  g_autofree char *json = NULL;
  g_autofree char *sheet = NULL;

  g_assert_cmpuint (warnings->len, ==, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (warnings, 0), "line 2: "));
  g_assert_false (contains (text, "Widget words"));
  g_assert_true (contains (text, "Later words"));
  g_assert_true (contains (text, PROSE_3));

  g_assert_cmpuint (gazette_clutter_filter_add_rules (filter, "##.later\n", NULL), ==, 1);
  again_text = filter_text (filter, again, "https://www.example.com/x", NULL);
  g_assert_false (contains (again_text, "Later words"));

  json = gazette_clutter_filter_to_content_blocker_json (filter, "example.com");
  g_assert_nonnull (strstr (json, ".my-widget"));
  g_assert_nonnull (strstr (json, "css-display-none"));
  sheet = gazette_clutter_filter_to_style_sheet (filter, "example.com");
  g_assert_nonnull (strstr (sheet, ".later"));
  xmlFreeDoc (doc);
  xmlFreeDoc (again);
}

/* A user's exception spares a rule of the default list (its curated rules ship in the
 * GResource), on that site only. */
static void
test_clutter_user_exception (void)
{
  GazetteClutterFilter *def = gazette_clutter_filter_get_default ();
  g_autofree char *json = gazette_clutter_filter_to_content_blocker_json (def, NULL);
  g_autoptr(GazetteClutterFilter) filter =
    gazette_clutter_filter_new_with_user_rules ("quiet.org#@#.newsletter-signup\n", NULL);
  const char *page = "<html><body><article><div class='b'><p>" PROSE_1 "</p><p>" PROSE_2
                     "</p><div class='newsletter-signup'>Plain box words</div><p>" PROSE_3
                     "</p></div></article></body></html>";
  htmlDocPtr doc = parse (page);
  htmlDocPtr other = parse (page);
  g_autoptr(GPtrArray) removals = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                   gazette_clutter_removal_free);
  g_autofree char *spared = filter_text (filter, doc, "https://quiet.org/a", NULL);
  g_autofree char *hidden = filter_text (filter, other, "https://loud.org/a", removals);
  g_autofree char *user_json = gazette_clutter_filter_to_content_blocker_json (filter, NULL);

  if (strstr (json, "\".newsletter-signup\"") == NULL && strstr (json, ".newsletter-signup,") == NULL
      && strstr (json, ", .newsletter-signup") == NULL)
    {
      g_test_skip ("the curated list has no generic .newsletter-signup rule");
      xmlFreeDoc (doc);
      xmlFreeDoc (other);
      return;
    }
  g_assert_true (contains (spared, "Plain box words"));
  g_assert_false (contains (hidden, "Plain box words"));
  g_assert_nonnull (strstr (user_json, "\"*quiet.org\""));
  xmlFreeDoc (doc);
  xmlFreeDoc (other);
}

static void
test_clutter_site_rule_for_node (void)
{
  htmlDocPtr doc = parse ("<html><body><article><p>" PROSE_1 "</p>"
                          "<aside class='css-1x2y3z donate-box'>Give</aside></article>"
                          "</body></html>");
  xmlNodePtr aside = find_body (doc)->children->children->next;
  g_autofree char *rule = gazette_clutter_site_rule_for_node ("https://www.example.com/a/b",
                                                              aside);
  g_autofree char *bare = gazette_clutter_site_rule_for_node ("news.example.org", aside);
  g_autoptr(GazetteClutterFilter) filter = gazette_clutter_filter_new_from_rules (rule, NULL);

  g_assert_cmpstr ((const char *) aside->name, ==, "aside");
  g_assert_cmpstr (rule, ==, "example.com##aside.donate-box");
  g_assert_cmpstr (bare, ==, "news.example.org##aside.donate-box");
  g_assert_null (gazette_clutter_site_rule_for_node ("file:///tmp/x.html", aside));
  g_assert_nonnull (filter);
  xmlFreeDoc (doc);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* Our rules and heuristics only: EasyList may or may not be installed. */
  g_setenv ("GAZETTE_EASYLIST", "", TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (language_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reader/clutter/heuristics/%s",
                                               language_cases[i].name);

      g_test_add_data_func (path, &language_cases[i], test_clutter_language);
    }
  g_test_add_func ("/reader/clutter/trap", test_clutter_trap);
  g_test_add_func ("/reader/clutter/card-traps", test_clutter_card_traps);
  g_test_add_func ("/reader/clutter/text-signature", test_clutter_text_signature);
  g_test_add_func ("/reader/clutter/rules", test_clutter_rules);
  g_test_add_func ("/reader/clutter/rule-spares-article", test_clutter_rule_spares_article);
  g_test_add_func ("/reader/clutter/own-cases", test_clutter_own_cases);
  g_test_add_func ("/reader/clutter/removals-text", test_clutter_removals_text);
  g_test_add_func ("/reader/clutter/user-rules", test_clutter_user_rules);
  g_test_add_func ("/reader/clutter/user-exception", test_clutter_user_exception);
  g_test_add_func ("/reader/clutter/site-rule-for-node", test_clutter_site_rule_for_node);
  g_test_add_func ("/reader/clutter/corpus", test_clutter_corpus);

  return g_test_run ();
}
