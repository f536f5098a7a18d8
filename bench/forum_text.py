"""Deterministic, realistic-looking forum post text for full-text search benchmarks.

:func:`body` writes a post's markdown, :func:`body_html` a cheap HTML for it (paragraphs, the
quote, the list, bold, code and links, escaped; not ``forum.markup.render_markdown``, which
would take longer than the benchmark's whole build), :func:`title` a topic's title. All
draw from the ``random.Random`` they are given and from nothing else, so a seed gives the
same text on every run (on a given Python).

The words: VOCABULARY holds 9,678 distinct tokens, most frequent first: TOP (function words
and the forum's everyday words, in hand order), then themed lists (strength training,
fitness, nutrition, forum chatter, everyday life, general English, with plurals and -s, -ed,
-ing, -er, -est and -ly forms derived) and numbers, 8,354 of them words. Each word is drawn
with weight 1 / rank ** 1.1 (Zipf): "the" is one word in seven; the last ranks, TAIL, are
unusual words (exotic foods, anatomy, supplements) with no derived forms, so a TAIL word has
no stem family among the other words (checked with PostgreSQL's ``english`` configuration:
the 9,678 tokens make 4,998 lexemes, and COMMON_WORD and RARE_WORD are each one alone). The
long tail is padded with numbers (101 to 999, then tens up to 3,590, years, step counts), as
training logs have them: without them the rarest word came out in about 0.1% of posts.

Sentences of 5 to 25 words (peaking at 15), capitalised, a comma in some, ending in ".",
"?", "!" or "..."; 1 to 5 paragraphs; 30% of posts get one of COLLOCATIONS ("bench press",
"rest day"...), PHRASE_RATE of them PHRASE; 18% some markdown: a **bold** or `code` word, a
"- " list, a link (https://example.com/...) or a quoted line ("> ") opening the post.

Measured (``python bench/forum_text.py``: 1,000,000 bodies timed, 100,000 measured, seed 1,
Python 3.11, one core of this 2-core machine):

- speed: 1,000,000 bodies in 35 s of CPU (35 µs each); body_html adds 4 µs a body;
- length: min 80, 5th percentile 162, median 395, mean 461, 95th percentile 1,012, max 1,500
  characters; 94 words on average; 1 paragraph 36%, 2 41%, 3 16%, 4 5.5%, 5 2.5%;
- markdown in 17.7% of posts;
- COMMON_WORD "protein" in 7.45% of posts (7,454 of 100,000);
- RARE_WORD "rhabdomyolysis" in 0.052% (52 of 100,000; about 500 a million);
- PHRASE "progressive overload" in 0.99% (987 of 100,000).

Each count is the same as a case-insensitive substring (``icontains``) as whole words. On
the million posts of ``bench/search_bench.py build sqlite`` (seed 1), FTS5's porter MATCH
and ``LIKE`` agree: "protein" 73,521 posts (7.35%), "rhabdomyolysis" 597 (0.060%); the
phrase 10,315 by MATCH, 10,288 (1.03%) by LIKE: PHRASE stems to "progress overload", which
the words put side by side now and then, and a **bold** word splits it for LIKE.
PostgreSQL's ``english`` search on the same million: 73,238, 597 and 10,315 (a link's path,
"https://example.com/protein-shake", is one token to its parser, not the word "protein").
"protein" and "rhabdomyolysis" have no other form among the words.
"""

import html
import itertools
import math
import re
from random import Random

# --- the vocabulary ---------------------------------------------------------------------------
#
# Words are ranked: the rank-r word is drawn with weight 1 / r**ZIPF_EXPONENT. The ranking is
# TOP in its own order (function words and the forum's everyday content words), then the
# themed base words taken in turn from each list (so the head of every list gets the lower
# ranks), then the derived forms (plurals; -s, -ed, -ing of verbs; -er, -est, -ly) with the
# numbers of NUMBERS_TAIL spread among them, then TAIL, unusual words with no derived forms,
# where RARE_WORD lives.

ZIPF_EXPONENT = 1.1

TOP = """
the I to and a of it is you that in my for on but this with be have so just was not are do
if at or as me it's what can get your I'm all like would about more from don't they an one up
some out will no when there know think been then how had now time also because only really
good any people which much even weight them than make after by into back day other training
most week well way want should first over could same still need lot work try going new body
did go sure years see look before again year where those each while here squat these reps
sets gym program since feel both little few through right too many down pretty better
never always protein another very off something heavy form were has doing got said thing
things why being lift lifting bench diet eat food workout every our we us he she his her him
around start started keep use used help thanks post probably actually maybe though enough
less sleep cardio run running fat muscle strength own might must may sometimes often usually
already yet ever else done days weeks months hard easy best great bad big small high low
next old last long
"""

FUNCTION_WORDS = """
am does having shall whom whose whether although unless until upon within without toward
towards among against along across behind beneath beside besides between beyond during
except inside outside near past throughout via per onto above below under myself yourself
himself herself itself ourselves themselves mine yours ours theirs its their hers either
neither none nothing anything everything someone anyone everyone nobody somebody anybody
everybody somewhere anywhere everywhere nowhere whatever whenever wherever whoever however
therefore otherwise meanwhile instead anyway anyhow thus hence once twice quite rather
somewhat almost nearly perhaps indeed yes yeah nope ok okay etc vs doesn't didn't can't
couldn't won't wouldn't isn't aren't wasn't weren't haven't hasn't hadn't shouldn't I've
I'd I'll you're you've you'll you'd we're we've we'll they're they've they'll that's
there's what's let's here's who's he's she's lol haha hmm wow ugh oh hey hi hello cheers
sorry please thank welcome bro dude man guys
"""

NUMBERS = """
2 3 4 5 10 8 6 12 20 15 30 100 1 7 9 45 50 60 90 135 225 315 405 25 40 70 80 200 300 500
1000 5x5 3x5 3x8 4x10 5x3 kg lbs lb km rpm bpm mph kcal mg ml vo2
"""

# Nouns get a plural; verbs get -s, -ed and -ing.
STRENGTH_NOUNS = """
barbell dumbbell kettlebell plate rack cage grip strap belt sleeve wrap knee elbow shoulder
hip glute hamstring quad lat trap bicep tricep forearm spine pec delt rep max routine
session lockout stance spotter platform lifter powerlifter bodybuilder competition meet
attempt opener variation accessory superset dropset circuit finisher machine cable
pulldown pushdown pullup chinup pushup dip lunge crunch plank sled band chain box hinge
percentage cycle wave block peak program split movement exercise lift pr record
plateau gain coach spot technique hole bar collar clip mat bench shoe slipper
singlet chalkbag knurl deficit rack pin safety hook thumb wrist ankle heel toe arch
knuckle finger palm tendon ligament joint disc vertebra femur tibia shin
abdominal oblique cuff scapula blade chest torso posture brace breath
squatter deadlifter bencher presser puller rower grinder miss bailout dump failure
"""

STRENGTH_VERBS = """
squat deadlift press curl row bench pull push lift lower brace grind miss bail lock
pause hold drop load unload rack unrack clean snatch jerk shrug flex extend rotate stretch
warm cool deload peak taper program spot cue drive hinge tuck arch flare stack squeeze
hammer pump train repeat rest recover progress stall plateau struggle crush smash nail
max test attempt overload compete qualify register weigh cut bulk gain lose burn build tone shape
sculpt strengthen stabilize activate engage isolate target hit work skip miss adjust
tweak modify switch alternate superset finish complete start restart reset
"""

FITNESS_NOUNS = """
run jog sprint walk hike swim ride bike cycle rower treadmill elliptical stair step
mile lap pace interval tempo hill trail track race marathon triathlon event finish
heart rate zone threshold lung breath stretch class instructor trainer membership locker
shower towel bottle headphone watch
tracker app monitor sensor strap shoe sneaker sock short legging shirt hoodie glove
injury strain sprain tear pain ache cramp blister bruise
physio physiotherapist doctor surgeon chiropractor massage therapist therapy
roller ball drill routine habit goal target milestone challenge streak
morning evening afternoon night weekend schedule calendar plan week month session
warmup cooldown burpee jack climber kick punch bag rope skip box jump
athlete runner swimmer cyclist climber hiker walker player team sport season game match
"""

FITNESS_VERBS = """
jog sprint walk hike swim ride bike climb jump hop skip kick punch box wrestle roll
stretch bend twist reach breathe sweat pant rest nap relax recover heal rehab treat ice
massage tape wrap stabilize balance coordinate improve maintain track log record measure
count calculate estimate monitor check compare plan schedule prepare commit quit stop
continue resume return increase decrease reduce boost raise limit avoid prevent manage
handle cope suffer hurt injure strain sprain tear pull ache cramp limp rush hurry
"""

NUTRITION_NOUNS = """
meal snack breakfast lunch dinner supper dessert calorie macro carb gram serving portion
shake smoothie bar scoop supplement vitamin mineral pill capsule tablet dose
recipe ingredient dish plate bowl cup spoon fork knife pan pot oven microwave fridge
freezer container bag jar can bottle label brand product package store shop market
egg chicken breast thigh steak burger sandwich wrap salad soup stew curry pizza pasta
noodle potato tomato onion pepper carrot pea bean lentil chickpea nut almond
peanut cashew seed oat grain cereal cracker cookie cake muffin pancake waffle donut
chip fry sauce dressing dip spread banana apple orange berry grape lemon lime melon
peach pear plum cherry avocado olive cucumber cabbage mushroom
cheese yogurt burrito taco tortilla bagel toast oil syrup jam spice herb sweetener drink soda
juice beer wine coffee tea
espresso latte fast deficit surplus bulk cut refeed diet cheat binge craving appetite
gut stomach allergy intolerance label nutrient
"""

NUTRITION_VERBS = """
cook bake grill boil fry roast steam chop slice dice blend mix stir pour measure weigh
count track log prep pack store freeze thaw heat reheat microwave order deliver buy shop
taste season snack fast binge crave digest absorb burn consume drink sip chew swallow
skip cheat refuel hydrate replace substitute swap cut add remove limit restrict allow
"""

MASS_NOUNS = """
nutrition fiber sodium potassium magnesium calcium zinc iron water milk whey casein
creatine caffeine glycogen insulin cholesterol energy fatigue soreness recovery hydration
hypertrophy mobility flexibility volume intensity frequency depth chalk power mass
bodyweight cardio conditioning stamina endurance balance coordination posture technique
equipment gear stuff feedback advice information research evidence science
nonsense motivation discipline consistency patience confidence anxiety stress
health fitness wellness weightlifting powerlifting bodybuilding crossfit calisthenics
strongman programming periodization oatmeal broccoli spinach salmon tuna turkey beef pork
fish quinoa tofu hummus granola popcorn chocolate rice bread butter vinegar honey sugar salt
courage patience freedom pride privacy poverty wealth leisure gravity literature maintenance
humor silence sympathy tolerance willingness moisture momentum fairness daylight luggage
furniture footage coverage storage convenience welfare depression pollution chemistry
garlic lettuce kale corn hunger metabolism digestion bloating lactate oxygen yoga pilates
swelling inflammation rehab foam soccer football basketball tennis rugby hockey baseball
volleyball boxing wrestling judo karate climbing rowing skiing surfing skating dancing golf
money shipping internet weather snow heat air music hair blood percent info valsalva
"""

CHATTER_NOUNS = """
thread forum reply question answer idea problem issue point reason experience opinion
friend mate link video article source study update log journal comment topic member
moderator newbie beginner noob veteran guru expert thought view take tip trick
hack rule myth fact claim argument debate discussion conversation chat message inbox
account profile avatar signature username password email notification subscription
website page site blog podcast channel subreddit community group club crew
picture photo pic selfie screenshot clip recording measurement number stat result
difference change improvement mistake error typo edit version option choice decision
alternative suggestion recommendation request favor review rating complaint concern
worry doubt guess assumption theory approach method system strategy plan detail step
stage phase level version part piece section chapter list table chart graph spreadsheet
note reminder example case situation scenario context background history story
life job boss coworker office commute car bus train house apartment room kitchen garage
basement garden yard dog cat kid son daughter wife husband girlfriend boyfriend partner
mom dad parent brother sister family neighbor roommate student teacher class school
college university exam holiday vacation trip birthday wedding party weekend break
budget price cost deal discount sale order package delivery refund
phone laptop computer screen keyboard camera charger battery connection
"""

CHATTER_VERBS = """
ask answer reply post comment share like agree disagree argue debate discuss mention
suggest recommend explain describe clarify wonder guess assume believe trust doubt hope
wish expect plan decide figure realize notice remember forget learn read watch listen
search google check follow subscribe join sign update edit delete quote
link upload download install click scroll type print save lose miss enjoy love hate
prefer mind care bother worry stress panic laugh joke smile cry complain whine rant
appreciate thank apologize welcome invite introduce visit move live stay travel commute
work study finish graduate retire happen seem appear look sound matter help support
encourage motivate inspire push convince annoy confuse surprise impress manage handle
"""

GENERAL_NOUNS = """
thing place world country city town street road area spot corner side edge top
bottom middle center line shape size length width height amount deal bunch couple pair
group team kind sort type form style way manner sense feeling mood attitude
effort struggle challenge chance risk danger benefit advantage downside upside cost
value quality quantity ratio average minimum maximum limit range scale
factor effect cause result outcome impact influence pattern trend habit routine
morning minute hour second moment period term season spring summer autumn fall winter
temperature rain sun cold wind light sound noise smell voice
word name title term language sentence paragraph letter book magazine newspaper movie
show episode series song album band concert game player fan crowd audience
game score win loss draw goal point rank league tournament trophy medal prize reward
body head face eye ear nose mouth tooth lip tongue throat skin bone brain
nerve vein organ liver kidney heart lung arm hand leg foot back belly waist butt thigh
"""

GENERAL_VERBS = """
ask call change check close compare consider contain continue cover create cross depend
deserve design develop discover enter exist explain fail fill fix follow form gather
guess hang happen hate help hope imagine include increase involve join jump kill knock
land last laugh learn lie like listen live look love manage mark marry matter measure
mention mind move need notice obtain offer open order own paint pass pick place plan
play point prefer prepare present produce promise protect prove provide reach realize
receive recognize relax remain remember remove repeat replace report represent require
return save seem serve settle share shout show sign smile solve sound start state stay
stop suggest supply suppose surprise talk taste tend thank touch travel treat trust
turn use wait walk want wash waste watch wonder worry yell accept act add afford agree
allow appear apply argue arrange arrive attach attack avoid bother borrow cancel carry
cause celebrate chase cheer choke clap clear climb collect combine commit complain
confirm connect copy correct cough crash crawl cry cure damage dance decorate delay
deliver destroy divide doubt drag dream dress earn employ end enjoy escape examine
excuse expand explore extend face fear fetch file fit float flow fold force frighten
glue grab greet guarantee guard hand harm heat hunt hurry identify ignore impress
inform insist intend interest interrupt invent iron jog kiss knit label last launch
lick lift load lock mess milk mix nod note obey object observe occur own pack paddle
park pat pause peel perform permit phone pinch plant please plug polish pop pour pray
preach pretend print punish question race rain refuse reject relate rely rescue
retire rinse risk rob rub rule rush sail scare scratch scream screw seal search shave
shelter shiver shock sigh signal ski slip smash smoke sneeze snore soak spark spell
spill spoil spray sprout squash squeak stain stamp stare steer step store strip
suck suit supply switch tap tease test tick tie tip tire trace trade trap trip trot
trouble type unite unlock unpack vanish wander warn wave weigh whip whisper wink wipe
wish wobble wrap yawn zip zoom
"""

IRREGULAR = """
went gone came made took taken gave given ate eaten ran felt kept left lost meant met paid
put read say said saw seen sent sold spent stood thought told understood won wrote written
bought brought caught taught fought built began begun broke broken chose chosen drank drunk
drove driven fell fallen flew forgot forgotten grew grown held hid hit hurt knew known led
lent let lit rode risen rose shook shot showed shown slept spoke spoken stuck swam swum
threw thrown woke worn wore got gotten sat stuck sung sang struck swung wound bent bound
dealt dug fed fled flung ground hung laid lay leant leapt meant quit rang sank sought spun
split spread stung strove tore torn wept wound
"""

IRREGULAR_VERBS = """
come take give run leave lose mean meet pay send sell spend stand tell understand write
buy bring catch teach fight build begin break choose drink drive fall fly forget grow
hide know lead lend ride rise shake shoot sleep speak stick swim throw wake wear sit sing
strike swing bend bind deal dig feed flee grind hang lay leap ring sink seek spin spread
sting strive weep wind think see
"""

ADJECTIVES = """
strong weak sore tired fresh stiff tight loose sharp dull solid stable unstable explosive
slow fast quick steady lean bulky skinny thin thick huge massive tiny short tall wide
narrow deep shallow upper lower front rear inner outer central proper correct wrong great
awesome amazing terrible horrible awful decent fine nice cool weird strange odd normal
common rare typical usual similar different whole full empty total main major minor basic
simple complex difficult tough brutal intense moderate mild extreme severe chronic acute
painful healthy unhealthy fit unfit active lazy busy free cheap expensive pricey available
possible impossible likely unlikely obvious clear important useful useless helpful
effective efficient optimal ideal perfect realistic reasonable sustainable consistent
progressive natural raw organic processed frozen canned fried baked grilled boiled sweet salty
bitter sour spicy bland tasty delicious filling hungry thirsty young older younger recent
current previous early late intermediate advanced elite competitive casual serious funny
sad happy glad angry annoyed frustrated excited nervous anxious scared confident
motivated dedicated stubborn patient impatient careful careless honest curious jealous
proud ashamed embarrassed grateful lucky unlucky safe dangerous risky smart stupid dumb
clever wise crazy insane wild calm quiet loud bright dark warm hot cold cool wet dry
clean dirty messy neat ugly pretty cute beautiful handsome gross sick ill injured broken
swollen numb weak shaky dizzy sweaty exhausted drained energetic alert sharp focused
distracted bored boring interesting exciting fun annoying confusing surprising shocking
impressive disappointing frustrating rewarding satisfying worth fair unfair equal
extra additional separate specific general particular certain various several plenty
entire exact precise rough approximate fixed flexible strict loose generous modest
decent solid legit sketchy shady fake real genuine official legal illegal local national
international public private personal social medical physical mental emotional
cardiovascular aerobic anaerobic metabolic hormonal genetic muscular skeletal
nutritional dietary caloric bilateral unilateral compound isolated functional athletic
sumo lumbar rotator
"""

ADVERBS = """
definitely totally exactly honestly basically literally seriously obviously apparently
hopefully unfortunately personally generally especially slowly quickly easily properly
recently finally currently eventually immediately constantly gradually slightly mostly
simply clearly certainly absolutely completely entirely fully mainly normally naturally
typically rarely barely hardly seldom regularly consistently initially originally
previously lately later soon today tomorrow yesterday tonight ago early daily weekly
monthly yearly overall together apart forward backward upward downward ahead aside away
elsewhere somehow anyways luckily sadly thankfully frankly truly extremely incredibly
ridiculously insanely super fairly reasonably relatively decently roughly approximately
precisely strictly loosely heavily lightly deeply tightly steadily safely carefully badly
poorly nicely perfectly somewhere anyhow hence meanwhile nonetheless nevertheless
furthermore moreover likewise accordingly alright
"""

NAMES = """
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
June July August September October November December Christmas Easter Thanksgiving
London Paris Berlin Madrid Rome Dublin Sydney Melbourne Toronto Vancouver Chicago Boston
Denver Seattle Austin Dallas Houston Miami Atlanta Texas California Florida Ohio Canada
Australia England Ireland Scotland Germany France Spain Italy Sweden Norway Japan Brazil
Mike Chris Dave John Matt Steve Tom Ben Sam Alex Jake Nick Dan Rob Pete Sarah Emma Kate
Laura Anna Lisa Amy Rachel Jess Megan Olympics Reddit YouTube Instagram Amazon Google
"""

LIFE_NOUNS = """
apartment bedroom bathroom hallway stairway elevator roof window door wall floor ceiling
carpet couch sofa chair desk table drawer closet mirror lamp bulb curtain blanket pillow
mattress sheet bed alarm clock fan heater radiator vacuum broom mop bucket sponge
dishwasher washer dryer basket hanger stove faucet toilet tub toothbrush razor lotion
wallet purse backpack suitcase umbrella jacket coat sweater skirt dress suit tie scarf hat
cap boot sandal uniform button zipper pocket truck van motorcycle scooter tire engine brake
wheel seat driveway ticket highway bridge tunnel station airport flight plane passport
hotel hostel beach mountain lake river forest park field island coast desert valley cliff
cave tent campfire cabin compass guitar piano drum violin singer musician artist painter
drawing sketch canvas brush novel poem author writer reader library bookstore museum
gallery theater cinema stadium arena studio workshop factory warehouse cubicle meeting
deadline project presentation client customer manager colleague employee intern salary
paycheck promotion interview resume career contract invoice tax bill loan mortgage bank
card coin receipt lawyer court judge officer nurse dentist pharmacy hospital clinic
appointment checkup prescription medication vaccine surgery scan xray diagnosis symptom
fever cough headache migraine virus infection rash wound scar stitch bandage crutch cast
sling wheelchair neighbor stranger visitor guest host owner tenant landlord driver
passenger pilot cousin uncle aunt nephew niece grandma grandpa baby toddler teenager adult
puppy kitten pet bird horse cow pig duck goat rabbit squirrel rat spider bee ant mosquito
snake frog turtle whale shark gadget device monitor speaker microphone headset controller
console router printer scanner folder document bug glitch crash server database backup
browser tab menu icon setting tool hammer screwdriver saw wrench nail screw bolt ladder
shovel hose lawn fence gate hedge tree bush flower plant leaf branch root wolf shelf
"""

LIFE_VERBS = """
vacuum wash fold repair install assemble organize tidy decorate renovate rent borrow pack
unpack park book reschedule board explore wander chill camp fish hunt garden plant water
mow rake prune harvest groom adopt foster babysit educate tutor review revise memorize
practice rehearse publish stream browse debug deploy restore reboot charge plug unplug
disconnect upgrade downgrade configure customize uninstall unsubscribe email text call
message forward attend host celebrate greet hug kiss date divorce forgive earn invest
budget owe refund exchange donate volunteer hire fire promote resign negotiate
"""

# Get -er and -est.
COMPARABLE = """
strong weak tight loose light heavy fast slow quick lean thin thick deep short tall wide
narrow high low hard easy fresh sharp young cheap safe smart calm loud dark warm cold cool
dry clean fine nice weird tough big small slim fat sore stiff late early busy happy
"""

# Get -ly.
ADVERBIAL = """
strict slow quick easy proper heavy light tight loose smooth rough steady gentle brief
careful honest serious frequent occasional correct exact explosive deliberate
aggressive conservative consistent moderate intense casual gradual dramatic significant
sudden constant awkward noticeable obvious visible
"""

NUMBERS_MORE = " ".join(
    str(n) for n in (*range(11, 100), *range(100, 305, 5), *range(310, 610, 10), 650, 700, 750, 800)
)

MORE_NOUNS = """
achievement activity addiction adjustment advert agenda aim airline aisle ambition ambulance
anniversary announcement anthem apology appeal appetizer appliance applicant application
archive arrangement arrival asset assignment assistant atmosphere attachment audience
bakery balcony ballot banner bargain barrier baseline batch beard behavior belief benchmark
beverage bicycle biscuit blender blueprint boundary bracket breakthrough brochure buddy
buffet bundle butcher cafe cafeteria campaign campus candidate candle capacity caption
carton cashier casserole catalog category ceremony certificate champion championship
charity checklist chef chemical chemist chunk cigarette citizen classroom cocktail
commitment committee companion comparison compliment component compromise concept
condition conference consequence constraint consultant contest contribution conviction
cookbook counselor counter coupon course courtyard craft creature crisis criterion critic
crowd cruise cushion cupboard curriculum dashboard decade definition degree delight demand
department deposit description destination diagram dialogue diary dilemma dimension
diploma director disaster disease dispute distance district documentary dorm dozen draft
duty eagle earthquake editor election emergency emotion employer encounter engineer
entrance entry envelope equation era errand essay estimate evaluation excuse exhibit
expectation expedition experiment explanation expression fabric facility faculty fantasy
fare farm farmer fault favorite feature fee festival fiction filter firework fixture flavor
flyer folk format formula fortune foundation fraction framework frustration fuel function
funeral gang gap generation gesture gift glimpse goggle grade graduate grandchild grant
grocery guideline handle harbor headline helmet highlight hobby horizon household hurdle
hypothesis illness illusion impression incentive incident income index indicator industry
infant initiative innovation inquiry insight inspection instinct institution instruction
instrument intention introduction invention investment invitation item journey judgment
junction kettle keyword kingdom kit landscape lawsuit layer leader leaflet lecture legend
lesson liability license lifestyle lifetime limitation lyric magnet mailbox majority mall
manual margin mascot mayor meadow mechanic memory mentor merchant metal midnight mindset
minority miracle mission model module motion motor motto mystery narrative nation necessity
needle negotiation network niche nightmare notebook notion novelty nursery objective
obligation observation obstacle occasion occupation offense operation opponent opportunity
orchestra organization outfit outlet outline output overview pad pamphlet panel parade
parcel participant particle passage passion patch path patient payment peer penalty pension
perception performance permission personality perspective phenomenon philosophy phrase
physician pitch planet plastic playground pleasure pledge poet policy politician poll pond
pool population portfolio possession possibility poster potential powder precaution
preference premium presence president prevention priest principle priority prison
privilege probability procedure profession professor profit prospect protest province
publication publisher punishment puzzle pyramid qualification quarter queue racket radar
radio rally ranking reaction reality reception recession recognition recruit reference
reflection reform refrigerator region regime regulation relationship relative release
religion remark remedy rental replacement reporter republic reputation requirement
reservation residence resident resolution resort resource response responsibility
restaurant restriction retirement revenue revolution rhythm ribbon rival ritual robot
rocket romance roster rumor sacrifice salesman sample sanction satellite saucer scandal
scent scheme scholar scholarship scientist scope script sculpture seminar senator sensation
sentiment sequence sergeant setback settlement shade shadow shareholder shift shortage
shortcut signal silhouette simulation slogan slope smartphone soap society soldier solution
soul souvenir spa specialist spectator speech sphere spirit sponsor spouse squad staff
stake standard statement statue status stereotype stock storm strategy stream stroke
structure subject substance suburb success suite sum summit supermarket supervisor supplier
surface survey survivor suspect syndrome tactic talent task taxi technician technology
telescope television temper temple tendency tension terminal territory testimony textbook
theme thesis threat tide timeline tissue token tournament tourist tower trainee trait
transaction transcript transition translation trauma treasure treaty trial tribe tribute
triumph truth tube tutorial umpire uncertainty unit universe utility vacancy variable
variety vehicle vendor venture venue verdict victim victory viewer village violation
virtue vision voucher voyage wage wagon warrior warranty weapon webinar widow windshield
witness workforce workload workplace worm wreck yacht youth
"""

MORE_VERBS = """
accelerate accommodate accomplish accumulate achieve acknowledge acquire adapt address
administer admire advance advertise advise advocate affect alert align alter amaze analyze
announce anticipate appoint approve assess assign assist associate assure attract authorize
automate await ban bathe beg behave belong benefit blame blink bloom bounce bow brush bump
calibrate capture categorize cease challenge chant characterize chart cite claim classify
collapse collaborate communicate compensate compile complement comply compose compress
concentrate conclude conduct confess confront congratulate conquer conserve consist consult
contemplate contribute convert cooperate correspond credit criticize crumble cultivate dare
deceive declare decline dedicate defeat defend define delegate demand demonstrate deny
derive descend detect determine devote diagnose differ dine disappear discourage dismiss
display dispose distinguish distribute document dominate double drain drown elaborate
elect eliminate embrace emerge emphasize enable encounter endure enforce enhance enlarge
ensure entertain establish evaluate evolve exaggerate exceed exercise exhaust exhibit
experiment expire export expose express fade fasten favor finance flash flatter flourish
focus fulfill function generate glance govern grasp guide harass highlight honor hover
illustrate imitate implement imply import impose incorporate indicate inherit initiate
inspect integrate interact interpret investigate lack lean lecture liberate license locate
manipulate manufacture master maximize mature minimize multiply nominate nourish occupy
operate oppose optimize originate outline overlap participate perceive persuade plead
pledge possess postpone predict preserve prevail proceed process profit prohibit project
propose prosper provoke pursue rank rate react recall reckon reconcile recruit rectify
recycle redeem reflect reform regain regulate reinforce relieve remind render renew request
research resemble reserve resist resolve respect respond retain retrieve reveal reverse
reward sample satisfy scan scatter secure select separate simplify simulate sketch soften
sort specialize specify speculate sponsor stimulate succeed summarize supervise surround
survey survive suspect sustain symbolize tackle tolerate transform translate transport
tremble utilize value vary verify view violate vote witness worship
"""

# The long tail's numbers: weights, calories, steps and years, as training logs have them.
NUMBERS_TAIL = " ".join(
    str(n)
    for n in (
        *range(101, 1000),
        *range(1000, 3600, 10),
        *range(1990, 2026),
        *range(4000, 20500, 500),
    )
)

# Unusual words with no derived forms, ranked last: the rarest words of the distribution.
TAIL = """
aardvark abacus accordion albatross alfalfa ambergris anchovy antler apricot archipelago
armadillo artichoke asparagus avalanche axolotl badminton bagpipe balalaika bandicoot
banjo barnacle basilisk bassoon beluga bergamot billiards biscotti blowtorch bobsled bonsai
boomerang bramble brisket buckwheat bulldozer butterscotch cactus calligraphy camembert
candelabra cantaloupe capybara caramel cardamom carnation cassava catamaran cauliflower
chameleon chandelier chinchilla chrysanthemum cinnamon clarinet cobblestone cockatoo
corduroy cormorant crocodile croissant cumin cymbal daffodil dandelion dinghy dragonfly
dulcimer elderberry emerald escalator eucalyptus falcon ferret fiddle flamingo flannel
fondue gazebo gecko gherkin giraffe glacier gondola gooseberry gorilla granite grapefruit
guacamole harmonica harpsichord hazelnut hedgehog hibiscus hippopotamus hummingbird
hyacinth iguana jackal jasmine jellyfish juniper kangaroo kohlrabi koala kumquat lagoon
lavender lemur licorice lighthouse llama lobster macadamia macaroon magnolia mandolin
marmalade marmot meringue mistletoe mongoose mosaic nectarine nutmeg octopus okra opossum
orchid ostrich otter oyster paprika papaya parsnip peacock pelican penguin peppermint
persimmon pistachio platypus pomegranate porcupine pretzel quail quartz raccoon radish
reindeer rhubarb saffron salamander sardine saxophone scallop seahorse sequoia shamrock
sloth snorkel sombrero squid starfish stingray strudel sundial swordfish tamarind
tambourine tangerine tarantula thimble toboggan tortoise toucan trombone tuba tulip
turmeric turquoise ukulele vulture walrus wasabi weasel wombat xylophone zeppelin
zucchini sacroiliac spondylolisthesis chondromalacia epicondylitis fasciitis bursitis
tendinopathy proprioception osteopenia sarcopenia kyphosis lordosis scoliosis sciatica
piriformis supraspinatus infraspinatus brachioradialis gastrocnemius soleus sartorius
gracilis adductor abductor iliopsoas serratus rhomboid sternocleidomastoid plantaris
popliteus coracobrachialis anconeus trapezius glycolysis gluconeogenesis ketosis
leucine isoleucine valine glutamine arginine citrulline taurine carnitine ashwagandha
rhodiola spirulina chlorella maltodextrin dextrose erythritol xylitol sucralose stevia
aspartame electrolyte bicarbonate nitrate beetroot tribulus fenugreek yohimbine
synephrine theanine melatonin zma colostrum hydroxymethylbutyrate
anemone azalea begonia bluebell buttercup camellia foxglove freesia gardenia geranium
gladiolus heather honeysuckle hydrangea lilac lupin marigold nasturtium oleander pansy
peony petunia poppy primrose snapdragon sunflower verbena violet wisteria zinnia
abalone barracuda carp catfish cod flounder grouper haddock halibut herring mackerel
mahi marlin perch pike pollock snapper sole sturgeon tilapia trout turbot walleye
anise caraway chervil chive coriander dill fennel lemongrass marjoram oregano parsley
rosemary sage savory sorrel tarragon thyme allspice clove mace sumac
acorn chestnut pecan macadamia pinenut filbert
amaranth barley bulgur couscous farro freekeh millet sorghum spelt teff
edamame tempeh seitan natto kimchi sauerkraut kombucha kefir miso
jicama rutabaga turnip celeriac parsnip endive arugula radicchio watercress chard
banister parapet gable dormer turret cupola belfry portico veranda pergola trellis
lantern sconce ottoman armoire credenza futon chaise hammock wicker rattan
abseil bouldering parkour orienteering curling lacrosse squash fencing archery biathlon
bobsleigh luge skeleton canoe kayak regatta velodrome peloton criterium cyclocross
metatarsal calcaneus patella clavicle sternum coccyx sacrum humerus radius ulna
meniscus labrum bursa fascia cartilage synovial periosteum
rhabdomyolysis
"""

COLLOCATIONS = (
    "bench press",
    "rest day",
    "meal prep",
    "personal record",
    "body fat",
    "heart rate",
    "lower back",
    "upper body",
    "calorie deficit",
    "protein shake",
    "form check",
    "leg day",
    "front squat",
    "romanian deadlift",
    "overhead press",
    "pull ups",
    "weight loss",
    "muscle gain",
    "training log",
    "rep range",
    "working sets",
    "good morning",
    "foam rolling",
    "resting heart rate",
    "daily steps",
    "sleep schedule",
    "cheat meal",
    "lean bulk",
    "time under tension",
    "mind muscle connection",
)

# The constants the search benchmark looks for (frequencies measured in the docstring).
COMMON_WORD = "protein"
RARE_WORD = "rhabdomyolysis"
PHRASE = "progressive overload"
PHRASE_RATE = 0.01  # the share of posts the generator writes PHRASE into
COLLOCATION_RATE = 0.3  # the share of posts given one of COLLOCATIONS
MARKDOWN_RATE = 0.18  # the share of posts with some markdown

_DOUBLE = {
    "quit", "begin", "forget", "admit", "commit", "submit", "permit", "regret", "control",
    "patrol", "occur", "prefer", "refer", "equip", "upset", "compel", "rebel", "omit",
    "transfer", "expel", "excel", "unwrap", "unzip", "kidnap", "format", "program",
    "superset", "reset", "rehab", "strip", "babysit", "debug", "squat", "shrug", "unplug",
    "overlap",
}  # fmt: skip
_NO_DOUBLE = {"open", "edit", "visit", "limit", "offer", "enter", "order", "suffer", "iron"}
# Verbs of the regular lists whose past is irregular: no "-ed" form for them.
_NO_ED = {
    "hit", "cut", "lose", "build", "drive", "hold", "swim", "ride", "tear", "hurt", "buy",
    "freeze", "drink", "read", "forget", "quit", "put", "set", "let", "spread", "split",
    "cost", "shut", "bet", "hang", "feel", "keep", "sleep", "pay", "lay", "win", "find",
    "sell", "think", "bring", "catch", "teach", "fight", "dig", "spin", "sting", "strike",
    "swing", "sink", "wake", "wear", "break", "speak", "steal", "meet", "deal", "mean",
    "send", "spend", "bend", "lend", "stand", "understand", "grow", "throw", "know", "blow",
    "fly", "draw", "shake", "take", "make", "give", "run", "come", "see", "go", "say", "get",
    "sit", "eat", "fall", "bite", "hide", "choose", "write", "rise", "shoot", "stick",
    "ring", "sing", "begin", "seek", "weep", "light", "shine", "bind", "wind", "grind",
    "leap", "slide", "strive", "tell", "lead", "leave", "bleed", "feed", "lie", "babysit",
    "forgive", "reset", "superset",
}  # fmt: skip
_PLURAL = {
    "knife": "knives", "life": "lives", "half": "halves", "shelf": "shelves", "wife": "wives",
    "calf": "calves", "foot": "feet", "tooth": "teeth", "child": "children", "man": "men",
    "woman": "women", "person": "people", "mouse": "mice", "potato": "potatoes",
    "tomato": "tomatoes", "hero": "heroes", "echo": "echoes", "stomach": "stomachs",
    "vertebra": "vertebrae", "series": "series", "leaf": "leaves", "wolf": "wolves",
    "scarf": "scarves", "crisis": "crises", "hypothesis": "hypotheses",
    "criterion": "criteria", "phenomenon": "phenomena", "thesis": "theses",
}  # fmt: skip
_VOWELS = set("aeiou")


def _s(word: str) -> str:
    if word in _PLURAL:
        return _PLURAL[word]
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def _doubles(word: str) -> bool:
    """Whether the final consonant doubles before -ed and -ing (stop, stopped, stopping)."""
    if word in _DOUBLE:
        return True
    if word in _NO_DOUBLE or not 3 <= len(word) <= 4:
        return False
    a, b, c = word[-3:]
    return a not in _VOWELS and b in _VOWELS and c not in _VOWELS and c not in "wxy"


def _ed(word: str) -> str:
    if word.endswith("e"):
        return word + "d"
    if word.endswith("y") and word[-2:-1] not in _VOWELS:
        return word[:-1] + "ied"
    if word.endswith("c"):
        return word + "ked"
    return word + word[-1] + "ed" if _doubles(word) else word + "ed"


def _ing(word: str) -> str:
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        return word[:-1] + "ing"
    if word.endswith("c"):
        return word + "king"
    return word + word[-1] + "ing" if _doubles(word) else word + "ing"


def _er(word: str, suffix: str) -> str:
    """stronger, strongest; bigger; easier; finer."""
    if word.endswith("e"):
        return word + suffix[1:]
    if word.endswith("y") and word[-2:-1] not in _VOWELS:
        return word[:-1] + "i" + suffix
    return word + word[-1] + suffix if _doubles(word) else word + suffix


def _ly(word: str) -> str:
    """slowly, easily, gently, dramatically."""
    if word.endswith("le"):
        return word[:-1] + "y"
    if word.endswith("y"):
        return word[:-1] + "ily"
    if word.endswith("ic"):
        return word + "ally"
    return word + "ly"


def _round_robin(lists: list[list[str]]) -> list[str]:
    """The first word of each list, then the second of each, and so on."""
    return [word for group in itertools.zip_longest(*lists) for word in group if word is not None]


_LISTS = {
    "TOP": TOP,
    "FUNCTION_WORDS": FUNCTION_WORDS,
    "NUMBERS": NUMBERS,
    "STRENGTH_NOUNS": STRENGTH_NOUNS,
    "STRENGTH_VERBS": STRENGTH_VERBS,
    "FITNESS_NOUNS": FITNESS_NOUNS,
    "FITNESS_VERBS": FITNESS_VERBS,
    "NUTRITION_NOUNS": NUTRITION_NOUNS,
    "NUTRITION_VERBS": NUTRITION_VERBS,
    "MASS_NOUNS": MASS_NOUNS,
    "CHATTER_NOUNS": CHATTER_NOUNS,
    "CHATTER_VERBS": CHATTER_VERBS,
    "GENERAL_NOUNS": GENERAL_NOUNS,
    "GENERAL_VERBS": GENERAL_VERBS,
    "IRREGULAR": IRREGULAR,
    "IRREGULAR_VERBS": IRREGULAR_VERBS,
    "ADJECTIVES": ADJECTIVES,
    "ADVERBS": ADVERBS,
    "NAMES": NAMES,
    "LIFE_NOUNS": LIFE_NOUNS,
    "LIFE_VERBS": LIFE_VERBS,
    "COMPARABLE": COMPARABLE,
    "ADVERBIAL": ADVERBIAL,
    "NUMBERS_MORE": NUMBERS_MORE,
    "MORE_NOUNS": MORE_NOUNS,
    "MORE_VERBS": MORE_VERBS,
}


def _vocabulary() -> list[str]:
    """Every word once, most frequent first."""
    words = {name: text.split() for name, text in _LISTS.items()}
    mass = set(words["MASS_NOUNS"])
    nouns = [
        [word for word in group if word not in mass]
        for name, group in words.items()
        if name.endswith("_NOUNS") and name != "MASS_NOUNS"
    ]
    verbs = [group for name, group in words.items() if name.endswith("_VERBS")]
    regular = [
        [word for word in group if word not in _NO_ED]
        for name, group in words.items()
        if name.endswith("_VERBS") and name != "IRREGULAR_VERBS"
    ]
    base = _round_robin([group for name, group in words.items() if name != "TOP"])
    derived = _round_robin(
        [
            *([_s(word) for word in group] for group in nouns),
            *([_s(word) for word in group] for group in verbs),
            *([_ing(word) for word in group] for group in verbs),
            *([_ed(word) for word in group] for group in regular),
            [_er(word, "er") for word in words["COMPARABLE"]],
            [_er(word, "est") for word in words["COMPARABLE"]],
            [_ly(word) for word in words["ADVERBIAL"]],
        ]
    )
    numbers = NUMBERS_TAIL.split()
    # The tail's numbers spread evenly among the derived forms.
    derived = [
        word
        for _, word in sorted(
            [(i / len(derived), word) for i, word in enumerate(derived)]
            + [((i + 0.5) / len(numbers), word) for i, word in enumerate(numbers)]
        )
    ]
    ordered = dict.fromkeys([*words["TOP"], *base, *derived])
    ordered.update(dict.fromkeys(word for word in TAIL.split() if word not in ordered))
    return list(ordered)


VOCABULARY: tuple[str, ...] = tuple(_vocabulary())
_CUM_WEIGHTS = list(
    itertools.accumulate(1 / rank**ZIPF_EXPONENT for rank in range(1, len(VOCABULARY) + 1))
)

# Not drawn for titles (the body draws every word): the function words, and the commonest
# words of TOP that make no title.
TITLE_SKIP = """
them than by into other most well should over could same those each while these were has did
being why our we us he she his her him around own might must may make after back day first
still need lot work try going new did go sure see look before again where here since both
little few through right too many down pretty better never always another very off something
doing got said thing things every keep use used probably actually maybe though enough less
sometimes often usually already yet ever else done next
"""
STOPWORDS = frozenset(
    TOP.split()[: TOP.split().index("weight")] + FUNCTION_WORDS.split() + TITLE_SKIP.split()
)
_TITLE_WORDS = [word for word in VOCABULARY if word not in STOPWORDS and not word.isdigit()]
# A flatter head than the body's (Zipf-Mandelbrot, ranks shifted by 30): one word in seven of
# every title would otherwise be "weight".
_TITLE_CUM = list(
    itertools.accumulate(
        1 / (rank + 30) ** ZIPF_EXPONENT for rank in range(1, len(_TITLE_WORDS) + 1)
    )
)
TITLE_STARTS = (
    "How to", "Help with", "Question about", "Thoughts on", "Advice on", "Anyone tried",
    "Best way to", "Need help with", "Is it normal to", "Why does my", "What's the best",
    "Struggling with", "Progress on", "Tips for", "Finally", "My", "First time", "Update:",
    "Opinions on", "Beginner question:",
)  # fmt: skip
TITLE_MAX_LENGTH = 80

# Lengths in words: a log-normal around MEDIAN_WORDS, clipped (bodies of about 80 to 1,500
# characters, the median near 400).
MEDIAN_WORDS = 72
SIGMA = 0.62
MIN_WORDS = 16
MAX_WORDS = 255
MIN_LENGTH = 80
MAX_LENGTH = 1_500


def _sentences(rng: Random, n: int) -> list[str]:
    """At least ``n`` words of Zipf-drawn text in sentences of 5 to 25 words."""
    random = rng.random
    lengths = []
    total = 0
    while total < n:
        k = 5 + int(random() * 11) + int(random() * 11)
        lengths.append(k)
        total += k
    words = rng.choices(VOCABULARY, cum_weights=_CUM_WEIGHTS, k=total)
    if random() < COLLOCATION_RATE:
        words[int(random() * total)] = COLLOCATIONS[int(random() * len(COLLOCATIONS))]
    if random() < PHRASE_RATE:
        words[int(random() * total)] = PHRASE
    sentences = []
    start = 0
    for k in lengths:
        sentence = words[start : start + k]
        start += k
        if k > 9 and random() < 0.45:
            sentence[2 + int(random() * (k - 4))] += ","
        first = sentence[0]
        sentence[0] = first[0].upper() + first[1:]
        end = random()
        sentences.append(
            " ".join(sentence)
            + ("." if end < 0.8 else "?" if end < 0.92 else "!" if end < 0.98 else "...")
        )
    return sentences


def _words(rng: Random, n: int) -> str:
    return " ".join(rng.choices(_TITLE_WORDS, cum_weights=_TITLE_CUM, k=n))


def _markdown(rng: Random, paragraphs: list[str]) -> None:
    """Give the post one bit of markdown, sometimes two."""
    random = rng.random
    for _ in range(2 if random() < 0.2 else 1):
        kind = int(random() * 5)
        at = int(random() * len(paragraphs))
        paragraph = paragraphs[at]
        if kind < 2:  # a **bold** or `code` word
            words = paragraph.split(" ")
            i = int(random() * len(words))
            word = words[i]
            if word[-1:] in ".,?!":
                word, end = word.rstrip(".,?!"), word[len(word.rstrip(".,?!")) :]
            else:
                end = ""
            if word and word[0] not in "*`>-":
                mark = "**" if kind == 0 else "`"
                words[i] = f"{mark}{word}{mark}{end}"
                paragraphs[at] = " ".join(words)
        elif len(paragraphs) == 5:  # no room for another paragraph
            continue
        elif kind == 2:  # a list
            items = 2 + int(random() * 3)
            lines = (f"- {_words(rng, 2 + int(random() * 5))}" for _ in range(items))
            paragraphs.insert(at, "\n".join(lines))
        elif kind == 3:  # a link
            path = _words(rng, 1 + int(random() * 2)).replace(" ", "-").lower()
            paragraphs[at] = f"{paragraph} https://example.com/{path}"
        else:  # a quoted line, opening the post
            paragraphs.insert(0, "> " + _sentences(rng, 5)[0])


def body(rng: Random) -> str:
    """A post's markdown: 1 to 5 paragraphs, about 80 to 1,500 characters."""
    random = rng.random
    n = int(rng.lognormvariate(_MU, SIGMA))
    n = MIN_WORDS if n < MIN_WORDS else MAX_WORDS if n > MAX_WORDS else n
    sentences = _sentences(rng, n)
    count = len(sentences)
    groups = min(5, count, 1 + int(count / (3 + 3 * random())))
    bounds = [round(i * count / groups) for i in range(groups + 1)]
    paragraphs = [" ".join(sentences[a:b]) for a, b in itertools.pairwise(bounds)]
    if random() < MARKDOWN_RATE:
        _markdown(rng, paragraphs)
    text = "\n\n".join(paragraphs)
    while len(text) < MIN_LENGTH:
        text += " " + _sentences(rng, 5)[0]
    if len(text) > MAX_LENGTH:
        cut = max(text.rfind(". ", 0, MAX_LENGTH), text.rfind("\n\n", 0, MAX_LENGTH))
        text = text[: cut + 1] if cut > MIN_LENGTH else text[:MAX_LENGTH].rsplit(" ", 1)[0]
    return text


_MU = math.log(MEDIAN_WORDS)


def title(rng: Random) -> str:
    """A topic's title: 3 to 10 words, at most 80 characters."""
    random = rng.random
    k = 3 + int(random() * 8)
    words = []
    if random() < 0.45:
        words = TITLE_STARTS[int(random() * len(TITLE_STARTS))].split()
    if random() < 0.15:
        words.extend(COLLOCATIONS[int(random() * len(COLLOCATIONS))].split())
    if len(words) < k:
        words.extend(_words(rng, k - len(words)).split())
    words = words[:10]
    end = "?" if words[0] in ("How", "Is", "Why", "What's", "Anyone") or random() < 0.1 else ""
    text = " ".join(words)
    while len(text) + len(end) > TITLE_MAX_LENGTH:
        text = text.rsplit(" ", 1)[0]
    return text[0].upper() + text[1:] + end


_BOLD = re.compile(r"\*\*([^*]+)\*\*")
_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"https://[^\s<]+")


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    if "**" in text:
        text = _BOLD.sub(r"<strong>\1</strong>", text)
    if "`" in text:
        text = _CODE.sub(r"<code>\1</code>", text)
    if "https://" in text:
        text = _LINK.sub(r'<a href="\g<0>" rel="nofollow ugc noopener noreferrer">\g<0></a>', text)
    return text


def body_html(markdown: str) -> str:
    """A cheap stand-in for ``forum.markup.render_markdown`` on :func:`body`'s output:
    paragraphs, the quote, the list, bold, code and links, HTML-escaped."""
    parts = []
    for paragraph in markdown.split("\n\n"):
        if paragraph.startswith("> "):
            parts.append(f"<blockquote>\n<p>{_inline(paragraph[2:])}</p>\n</blockquote>")
        elif paragraph.startswith("- "):
            items = "".join(f"<li>{_inline(line[2:])}</li>\n" for line in paragraph.split("\n"))
            parts.append(f"<ul>\n{items}</ul>")
        else:
            parts.append(f"<p>{_inline(paragraph)}</p>")
    return "\n".join(parts) + "\n"


def _main() -> None:
    import argparse
    import statistics
    import time

    parser = argparse.ArgumentParser(description="Time the generator and measure its text.")
    parser.add_argument("--posts", type=int, default=100_000, help="bodies to measure")
    parser.add_argument("--time", type=int, default=1_000_000, help="bodies to time")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()

    rng = Random(options.seed)
    started = time.process_time()
    for _ in range(options.time):
        body(rng)
    took = time.process_time() - started
    print(
        f"{options.time:,} bodies in {took:.1f} s of CPU ({took / options.time * 1e6:.1f} µs each)"
    )
    rng = Random(options.seed)
    started = time.process_time()
    for _ in range(options.time // 10):
        body_html(body(rng))
    took = time.process_time() - started
    print(f"{options.time // 10:,} bodies with body_html in {took:.1f} s of CPU")

    rng = Random(options.seed)
    bodies = [body(rng) for _ in range(options.posts)]
    lengths = sorted(len(text) for text in bodies)
    quantiles = statistics.quantiles(lengths, n=20)
    paragraphs = [text.count("\n\n") + 1 for text in bodies]
    print(
        f"length: min {lengths[0]}, 5% {quantiles[0]:.0f}, median {statistics.median(lengths):.0f},"
        f" mean {statistics.mean(lengths):.0f}, 95% {quantiles[-1]:.0f}, max {lengths[-1]};"
        f" words: mean {statistics.mean(len(text.split()) for text in bodies):.1f}"
    )
    print(
        "paragraphs:",
        {n: f"{paragraphs.count(n) / len(bodies):.1%}" for n in sorted(set(paragraphs))},
    )
    markdown = sum(1 for text in bodies if re.search(r"\*\*|`|^- |^> |https://", text, re.M))
    print(f"posts with markdown: {markdown / len(bodies):.1%}")
    print(f"distinct words in the vocabulary: {len(VOCABULARY):,}")
    for name, words in (("COMMON_WORD", COMMON_WORD), ("RARE_WORD", RARE_WORD), ("PHRASE", PHRASE)):
        pattern = re.compile(rf"\b{re.escape(words)}\b", re.IGNORECASE)
        exact = sum(1 for text in bodies if pattern.search(text))
        inside = sum(1 for text in bodies if words in text.lower())
        print(
            f"{name} {words!r}: in {exact:,} posts ({exact / len(bodies):.3%}) as words,"
            f" {inside:,} ({inside / len(bodies):.3%}) as a substring"
        )
    rng = Random(options.seed)
    titles = [title(rng) for _ in range(10_000)]
    print("titles:", *titles[:8], sep="\n  ")
    print(
        f"title length: max {max(map(len, titles))}, mean {statistics.mean(map(len, titles)):.0f}"
    )


if __name__ == "__main__":
    _main()
