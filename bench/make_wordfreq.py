#!/usr/bin/python3
"""Build bench/wordfreq_en.txt, the word-frequency list of the corpus generator.

How the list is made (deterministic, no network):

1. CORE: about 1,200 common conversational English words written for this
   project below, in approximate spoken-frequency order (function words first,
   then everyday verbs, nouns and adjectives, then customer-service vocabulary).
2. TAIL: words from Debian's `wamerican` package (/usr/share/dict/words, SCOWL
   size 50), kept when they are 3-12 lower-case ASCII letters, are not already
   in CORE and are not on the small exclusion list below; ordered by a keyed
   SHA-1 of the word (a deterministic shuffle) and cut so the list holds
   TOTAL words.
3. Each word gets a Zipf count: round(1e8 / rank ** ZIPF_S).  The generator
   samples words with probability proportional to that count.

Usage:
  /usr/bin/python3 bench/make_wordfreq.py            # rewrite bench/wordfreq_en.txt
  /usr/bin/python3 bench/make_wordfreq.py --check    # exit 1 if the shipped file differs
Needs: apt-get install wamerican
"""

import hashlib
import os
import re
import sys

TOTAL = 16000
ZIPF_S = 1.1
DICT = "/usr/share/dict/words"
KEY = b"callsight-wordfreq-v1:"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "wordfreq_en.txt")

# Written for this project: common spoken English, roughly most frequent first.
CORE = """
the i you and to a it that of is in yeah so we know like what have was do be
this not just for on they my but can with me get all there your if no are
about at he she go think one well right or would an as oh out up were from
will her him his them then when how because mean want need really good time
now here okay yes some thing things could should been had did does going said
say see look make take come let got way kind lot little much more very sure
also any our us who which their by into back over than only other even still
too maybe something anything nothing everything someone anyone people person
day days week weeks month months year years today tomorrow yesterday morning
afternoon evening night tonight hour hours minute minutes second seconds
again already always never sometimes usually actually probably definitely
before after until since while where why through down off around away
call called calling phone number name account help check give tell ask told
asked try tried trying work working worked use used using find found keep
kept put send sent pay paid bill bills order ordered money new old first last
next same different other another each every both few many most enough
two three four five six seven eight nine ten twenty hundred thousand half
fine great nice happy glad sorry thanks thank please hello hi bye goodbye
alright yep nope hmm mhm wow gosh anyway though although however either
neither whether instead able unable sure pretty quite exactly basically
honestly literally totally absolutely already almost
home house car work job family husband wife son daughter kids mom dad
friend friends neighbor brother sister mother father children child guy guys
man woman lady sir ma'am
thing stuff place part side point problem question answer reason idea case
fact matter issue issues situation information info detail details note
make made makes making take took taken taking come came comes coming go went
gone goes get gets getting got gotten give gave given giving say says saying
tell tells telling know knew known knows think thought thinks thinking see
saw seen seeing look looked looking looks want wanted wants wanting need
needed needs needing feel felt feeling feels seem seemed seems leave left
leaving start started starting stop stopped stopping wait waited waiting
happen happened happens happening change changed changes changing move moved
moving turn turned turning open opened close closed run running ran set
setting show showed shown showing hear heard hearing read reading write wrote
written writing buy bought buying sell sold selling spend spent spending
live lived living stay stayed staying bring brought talk talked talking
speak spoke speaking understand understood explain explained remember
forgot forget believe hope hoped guess wonder wondering worry worried
wish wished like liked love loved hate hated mind minded
receive received receiving deliver delivered delivering ship shipped shipping
return returned returning replace replaced replacing fix fixed fixing repair
repaired install installed installing schedule scheduled scheduling
update updated updating confirm confirmed confirming verify verified
process processed processing cover covered covers include included includes
charge charges charging apply applied applies transfer transferred
connect connected connecting disconnect disconnected reset restart
sign signed login log logged enter entered click clicked download
upload email emailed text texted mail mailed print printed
big small large long short high low early late fast slow quick easy hard
simple busy free full empty ready available possible important certain
clear correct wrong real true right left whole main major minor regular
normal special extra basic standard premium monthly weekly daily yearly
annual current previous recent final total local online mobile digital
cheap expensive affordable reasonable fair
better best worse worst bigger smaller higher lower earlier later faster
sooner cheaper
service services plan plans account accounts payment payments card cards
credit debit bank check statement balance fee fees rate rates price prices
cost costs total amount dollar dollars cent cents tax taxes deposit discount
deal deals offer offers sale sales promotion special specials package
packages bundle option options feature features upgrade downgrade contract
agreement policy policies terms coverage plan claim claims estimate quote
quotes invoice receipt confirmation reference tracking delivery deliveries
shipment box item items product products model models unit units part parts
order orders store stores location locations address zip code email website
app application system device devices phone phones router modem internet
wifi cable tv television remote screen battery charger computer laptop
tablet printer camera speaker software password username profile settings
message messages voicemail text notification notifications alert alerts
technician appointment appointments visit visits inspection installation
repair repairs replacement return returns exchange exchanges
office department team manager supervisor representative rep support
center company business owner member membership subscription customer
agent client patient doctor dentist insurance provider carrier
minute hold line transfer extension queue
monday tuesday wednesday thursday friday saturday sunday weekend weekday
january february march april june july august september october november
december spring summer fall winter holiday holidays
morning noon afternoon evening midnight o'clock
street road avenue drive lane city town state country area county
north south east west downtown
water power gas electric heating cooling air conditioner furnace heater
roof window windows door doors floor kitchen bathroom garage yard garden
pipe pipes leak leaking sink toilet shower
car truck tire tires engine oil brake brakes
food pizza coffee lunch dinner breakfast
school class college
paper form forms document documents letter letters copy copies
problem problems trouble error errors mistake mistakes glitch
broken damaged missing late delayed lost stuck frozen slow
happy upset angry frustrated confused annoyed disappointed satisfied
question questions concern concerns complaint complaints request requests
survey feedback review reviews rating
because cause since unless whenever wherever whatever whoever however
maybe perhaps likely unlikely possibly
yesterday tomorrow tonight recently lately soon later earlier
ago already yet still just
each everyone everybody somebody nobody anybody
myself yourself himself herself itself ourselves themselves
mine yours his hers ours theirs
this that these those
am is are was were being been
has have had having
do does did doing done
can could may might must shall should will would
above below under between behind beside near inside outside within without
across along among against toward towards upon
first second third fourth fifth
once twice
eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen
nineteen thirty forty fifty sixty seventy eighty ninety million
number numbers digit digits
percent
color colors black white blue red green gray silver
size sizes medium
weight heavy light
picture pictures photo photos video videos
music radio news channel channels show shows movie movies game games
sport sports team
health medical prescription pharmacy
travel trip flight flights hotel reservation reservations booking
ticket tickets seat seats
gift gifts card
birthday anniversary
bag bags bottle bottles
table chair couch bed mattress
shirt shoes jacket
lawn mower tree trees
dog cat pet pets vet
apartment building unit lease landlord tenant rent
loan mortgage interest payment principal
savings checking
fraud scam security secure safe
access code pin
key keys lock locked
light lights bulb
noise noisy loud quiet
smell smells
hot cold warm cool
wet dry
clean dirty
""".split()

# Not wanted in generated transcripts (slurs, obscenities): stored as SHA-256
# hex digests so that this file does not spell them out.  The list covers the
# offensive words that wamerican holds which the keyed shuffle put in the tail.
EXCLUDED_SHA256 = set("""
01593d28fa8bae2c679d23859e1531bbfd48dc350173c3496a61c5930277e93c
0508a634445d401652d06013cdcc95183ab78c58e406cfec6dc58a395958ef2b
095080134d6cf49aaf01e28d77cf9999d13eb5634bf828f5e5e7a473bed9ff5d
0ec52f573ce5777bd5c4c5c00041d0bf2d4d93511b4956313ba6ab72665d84f6
158869a97379229b7681efae9d7f9c9214134e836d649ba53477c0c111414d59
19b88ce550d709f7d8f95b28f66a07716f182ca179c842e98b5e85d317aca8d3
25390976ce87338abd7440a4d0c20ab371f310e7ba3d024cfd3c48247423d65a
262f86db0ac788ad9c3c7cd7aa6b1df5388cfe9df8407b8aa5c4c06d67ecf493
26578569a290ecbe82b32e2829bf9e1cc77dcc917475354fce845f9dec9dbbbf
2944474a2c8b8c375dbc6f51d9e85e6d13275ec91cbc106c6ff0aea9c8bdd137
2b3240970c71346b98e00c5c83e8070484e9a1ac3d04d4488dedc85f454e6180
304bf48b8274c460d9909403cabba3634da57a814bd348fc284321136ed1655b
38136d6e343860f65e61a6f8fb722586797fcaf3857d9131b96ad780d90af7b8
3af112eacdb74eec9fcf2fb76c86ac984853b92f6f8678f4444cbe28251a9932
41b4d5e85655f1b35e001a70684482f9cb760385974cbb7bc401531079c9f4a1
445dec4377f02c1e594c35f6e38af833bbe2153e8ef81079c33233322624180c
46a11f1333d6b2079f8da41e63d810406e9de5b6eb18c80f434f6c79da1f525b
4b18aefe826adf558cdcd94d8e2c753c47213c08dd05b0f15f7e6cf450fba888
529b7ecf563bf78ff19d59b61ea08ffb3549657c7fdf2f0823b40b8ece1f1238
594810adcbee20bd1d6f8e4cee51efdf1a235691e9d08fe96ce944d7fde34fd6
619fe94f74618d8be59b192df81b872719632cf02b1e803ae17bbdf568e52187
61dd29f2fd298a27f385c43ead74cbe5655322385b58438fb78078edcaf1843d
72ec5590a1fb1e5ad33841aae6880a18f77b51f05766739128a3b074974c1da4
737dd1bca21d67a7c158ed425276b04581e3c2b1f209e25a7cff37d8cb333f0f
7ad1e3684920d9f16613ae13a808774cd8e6b8b3b787874b74aa53f451a145d6
7da69b417fcd3985c72a140c6d49102d53a21393a56cb089c0fca23abb553471
7e85c676fd97d370e2309003a5681bc4388306979b7db04c37c6fb0672891b6a
7f5a9ba14cb89dc20e9001e41ba6f98fc1d4d71752a7407bcd082d52bb63465c
819837a1df89760e1d106d2e7d83338772ace66824c6803bc262420c2814cdc1
8649d6f8c29ef6b097e7bae604f9119528f27bd907c1bc8c59b6a39e4643064c
867d78976655050c6f3621a708b12be3eec80af71355b97bae7a6e50e52b3a1d
8693f216c2503fbc397d78fea3fc837bcdcbd7052884ec8fa247eccdcb6601cc
87c81b8ce85cf5c3eaefcf80f0ae4f5f3fa6ca8a3189f3c4a785d39585677f33
92a9bf818e7e00021b6d6959f877f5df11b0f989e486db38f35853ebbd552086
9761be79f8ed9e0cc012fb91f494055a2093665042d5a0b7103cfe43932d597d
984979b9928ae8d8622286c4a9cd8e99d964a22d59ed0f5722e1733eb280e635
984b5c6ef01348e4535bb03c682bbf1505d454bcc582e41515da7049aaf91afe
9915ba2d822280f22c283df4e76584a40e0119fc58f73c5f84d4fdb04d04fa6f
9e202ccefdaa3f13ba5133338fc325de7f88380ccc09da81445b2fdc5cd1edd1
a24efab8d957af0a0ff2e7d94dc6a3715007a1a4b5bdf02b79a12daa0468c934
a322b4dd3bd08d5a60789f0c72bf8e185a4db0e530649715b9110e77f6f9651c
ab0c0f27af36362cbf3cdd49eac67469e179d526ddcc9cf9d88bf54a2dd85a52
ac1d2ec6856f2b92c1568bf60c7b7b798b53b3c82431869c0eea5d47f304cf1c
b026c2aecd70e44cbdbf87a27f2dae2a5ddeaa5dd3b85c5f9125a1b896137fa2
b4b66e0d544df95a1501c27ab68699ba21eafeb1eb141da1959ef67d30fc35b2
b64608345c88e3e506318d8cce5cdf6682dd52433cca7abf29491b358011cbf1
b690cdbe59f14b3be083db03237e04051abd85c4ffe35180723e9cb45cd3a519
b97dfc2d5668ca2aa1ee9a66e71282824df37a657d4126300defb6673a69c313
ba6fb01a93edd5964eeeffd2ebbc9168e68f0b2761a9428cbb578261f84db0ac
bb61ef40814ce34c1edf0edb609854be9793198a8f60b67d9fb26643c32281d3
c0ebfa7cbe3d26ec5dac5c2a33fabb3b30903ba47b6ebb15b31ae310fc52b299
c1cabb6f6e431f9c4dea4c3b3264d6fe3829241d674f3496a2dfff6658f0363e
c20363e6868899db8e5e215f09f8d2b1b3571853ef01827901d7d09e6605d382
c59758402ac479486c36150df5bc3ab5349353ad53983893d512c490f6894f12
c91d7a2081dc6d69a99ed50c26f77cdbd19aa501a2360deeba5b8ccfe19ac9b7
cc02032349c833ac5e97bac094560ed40e09acf34cb1978ab7a9840b9bf15b4d
cf3baf3e0481f5053135be5383d2aa952b738759ac551aeca59def86129be4cb
d1b2dec28ad00382496eea86c6610a16490ec538730a775ad6d24b0bd0159707
d22961946894a7840ededf6fa6127070f98583871fe1f9ce929e71849a14b4eb
d27b115fc1ea6db0b984b6ccaf6a5877d1ee83ae7374c020e158efe8f028badf
d2ce238bf4709ddee431fd65689be30c87ae0a0900929f7b3d4f46e67cabca48
d6816f4743aa7697ddb5859ec5ed37f7348e17875e7d3ad756debd75f0d40294
d75a838dc758ba17f28bd8dbac605cb70c35465263d5733164521de2f7ef7926
daf8ee0b8faced430a17da65d91fe094b39384dfba0701798698831ebd4fe9a9
dd32831e9d5f3da30c303bff83974931551409ef690c5233c3923923162c95eb
dd971cc1b29d89092c8ee0fc02e574bcb44d1188a6df57cf2689551b535d023a
de44de95f1339e732905d315292bfc5126986d2a3d4f87166e6ff34ad6f2e6e3
dfb0ce07edf923f1f40ba56cc9ba9c396b53e3399e3164d60e35050baa2be9c9
e14a747f150b845a183569bbfc821b5a9f64f6a2434487fe2b79419162884cb6
e683679358a5aea345d8a6084369eae87b0a3db298631dd14aed132f84d3b4e8
e9143a29033d9145afc1854ad835b976814bf560b245685a801450f52c288aec
ebc98c1efce2b18255178d3a19b3265d310878a930a78d4bd36b7cc6bc4a7312
ebec03d80c0d3bffb9a45b0c7ed0876d473164679abc3065266264d2b132889f
f9d0d9b18ae9033a5ea36df19bf279b059e887a9ae785db81117bceaecc95933
ff5ae7e8d206066d2bcb44222c2ef583c8d4c35a4c00f00a87b6ddd964c844fa
fff126e306a3552b9597330080a51f86ec147f476c93365c96f28d36e0e0d526
""".split())

# Fragments that ripgrep/scikit-learn produce from contractions (don't -> don t);
# keeping them out of the vocabulary keeps the phrase comparisons meaningful.
CONTRACTION_STEMS = {"don", "won", "isn", "aren", "wasn", "doesn", "didn",
                     "couldn", "shouldn", "wouldn", "haven", "hasn", "hadn",
                     "ain", "ll", "ve", "re"}


def sha256(word):
    return hashlib.sha256(word.encode()).hexdigest()


def build():
    seen = set()
    core = []
    for w in CORE:
        w = w.lower()
        if not re.fullmatch(r"[a-z]+", w) or w in seen:
            continue  # contractions (ma'am, o'clock) come from templates instead
        seen.add(w)
        core.append(w)
    tail = []
    with open(DICT, encoding="utf-8", errors="replace") as f:
        for line in f:
            w = line.strip()
            if not re.fullmatch(r"[a-z]{3,12}", w) or w in seen:
                continue
            if w in CONTRACTION_STEMS or sha256(w) in EXCLUDED_SHA256:
                continue
            seen.add(w)
            tail.append(w)
    tail.sort(key=lambda w: hashlib.sha1(KEY + w.encode()).digest())
    words = core + tail[: max(0, TOTAL - len(core))]
    out = [
        "# wordfreq_en.txt - word frequency list for callsight_gen_corpus (bench/).",
        "# Generated by bench/make_wordfreq.py; do not edit by hand.",
        "# Format: word<TAB>count, most frequent first; count = round(1e8 / rank^%.2f)." % ZIPF_S,
        "# Ranks 1-%d: conversational English words written for the callsight project." % len(core),
        "# Ranks %d-%d: words from Debian's wamerican package (SCOWL), deterministic" % (len(core) + 1, len(words)),
        "#   keyed-hash order. SCOWL: Copyright 2000-2011 by Kevin Atkinson; permission to",
        "#   use, copy, modify, distribute and sell these word lists, the associated scripts,",
        "#   the output created from the scripts, and its documentation for any purpose is",
        "#   hereby granted without fee, provided that the above copyright notice appears in",
        "#   all copies and that both that copyright notice and this permission notice appear",
        "#   in supporting documentation. Kevin Atkinson makes no representations about the",
        "#   suitability of this array for any purpose. It is provided \"as is\" without",
        "#   express or implied warranty. (See /usr/share/doc/wamerican/copyright.)",
    ]
    for rank, w in enumerate(words, 1):
        out.append("%s\t%d" % (w, max(1, round(1e8 / rank ** ZIPF_S))))
    return "\n".join(out) + "\n"


def main():
    if not os.path.exists(DICT):
        sys.exit("make_wordfreq.py: %s missing; apt-get install wamerican" % DICT)
    text = build()
    if "--check" in sys.argv[1:]:
        with open(OUT, encoding="utf-8") as f:
            same = f.read() == text
        print("wordfreq_en.txt: %s" % ("matches its derivation" if same else "DIFFERS from its derivation"))
        sys.exit(0 if same else 1)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote %s (%d words)" % (OUT, text.count("\n") - 13))


if __name__ == "__main__":
    main()
