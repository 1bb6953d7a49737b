"""Common English words of 2-6 letters (the whole-word entries of the BERT uncased WordPiece
vocabulary, which the bundled MiniLM embedder uses). In ALL-CAPS text an upper-case
abbreviation whose lower-case form is one of these ("LOOP", "FIRE", "TRIP") is ambiguous with
the ordinary word, so the linker accepts it there only when the concept's full label also
occurs in the text. Generated once; edit freely (the linker fingerprint covers this list).
"""

COMMON_WORDS = frozenset(
    """
aa aaa aachen aarhus aaron ab aba aback abbas abbess abbey abbot abbott abby abc abd abdul abe
abel able aboard about above abrams abroad abrupt abs absent absorb absurd abu abuse abused
abuses abyss ac acacia acc accent accept access accord accuse ace aces ache ached aching acid
acidic acids acre acres across act acted acting action active acton actor actors acts actual
acute ad ada adam adams adapt add added addict adding adds adele aden adept adhere adi adjust
adler admire admit admits adobe adolf adolph adopt adored adrian ads adult adults advent advice
advise ae aegean aerial aero af afar afb afc affair affect afford afghan afi afl afraid africa
afro aft after ag again agatha age aged agency agenda agent agents ages agile aging agnes ago
agony agra agree agreed agrees ah ahead ahl ahmad ahmed ai aid aidan aide aided aiden aiding
aids aim aimed aimee aiming aims ain air airbus aired aires airing airmen airs aisle aisles aix
aj ajax ak aka akbar akin akira akron al ala alain alam alan alarm alarms alaska alba albans
albany albeit albert albion album albums aldo ale alec aleppo alert alex alexa alexei alexia
alexis alf alfa alfred algae ali alias alice alicia alien aliens align alike alison alive all
alla allah allan allen alley allie allied allies allow allows alloy alloys ally alma almond
almost alone along alonso aloud alpha alpine alps als alsace also alt alta altar alter alto
alton alumni alvaro alvin always alyssa am ama amanda amar amara amazed amazon amber ambush amc
amelia amelie amend ames ami amid amidst amiga amin amino amir amman among amor amore amos
amount amour amp ample amtrak amulet amused amy an ana anal analog anand anchor and anders
andes andhra andre andrea andrei andres andrew andrey andy ang angel angela angelo angels anger
angie angle angled angles anglia anglo angola angry angus anhalt animal anime anita ankara
ankle ankles ann anna annals anne annex annie annual annum anson answer ant anthem anti antics
anton antony antrim ants anwar any anya anyone anyway anzac ao ap apache apart ape apes apex
api apical apollo app appeal appear apple apples apply approx apps apr april apron apt aqua
aquino ar ara arab arabia arabic arabs aragon arbor arc arcade arch arched archer arches archie
arcs arctic arden ardent are area areas aren arena arenas ares argent argue argued argues argus
argyle argyll ari aria arias arid ariel arise arises arjun ark arm armada armagh armand armed
armies armor armory armour arms army arnold aroma arose around array arrays arrest arrive arrow
arrows arroyo ars arson art arte artery arthur artist arts arturo arun arya aryan as asa asahi
ascent ascot asean ash asha ashby ashe asher ashes ashley ashok ashore ashton asia asian aside
ask asked asking asks asleep aspect aspen ass assam assent assert assess asset assets assign
assist assume assure asthma aston astor astrid astro astros asylum at ata atari ate athena
athens atkins atlas atm atoll atom atomic atoms atop atp atrium attach attack attain attend
attic attire atv au aubrey auburn audi audio audit audrey auf aug august aunt aura aurora aus
austen austin austro author autism auto autumn aux av ava avail avalon avant avatar ave avenge
avenue avery avid avila aviv avoid avoids avon aw await awake award awards aware away awe awful
awhile awoke ax axe axel axes axial axis axle aye az aziz azores aztec azure ba baba babe
babies babu baby bach back backed backs backup bacon bad baden badge badger badges badly bae
bafta bag bags baha bahia bahn bai bail bailey bain baird bait baja baked baker bakery baking
baku bal bala bald bali balkan ball ballad ballet ballot balls baltic bam bamboo ban banana
banco band banda banded bandit bands bane bang banged bangor bangs banjo bank banker banks
banned banner bao bar barack barak barbed barber barbie bard bare bared barely barge barges
bari bark barked barker barley barlow barn barnes barnet barney barns baron barons barony barr
barre barred barrel barren barrie barrio barron barrow barry bars bart barton bas basal basalt
base based basel bases bash basha basic basics basil basin basins basis basket basque bass bat
batch bates bath bathed baths batman baton bats batted batter battle bauer baxter bay bayer
bayern baylor bayou bays bazaar bb bbc bc bce be bea beach beacon beads beak beale beam beamed
beams bean beans bear beard bearer bears beast beasts beat beaten beats beatty beau beauty
beaux beaver became becca beck becker becky become bed beds bee beech beef been beer beers bees
beetle before beg began begged begin begins begs begun behalf behave behind behold bei beige
being beings beirut beit bel bela belief belize bell bella belle bells belly belong below belt
belts ben bench bend bender bends bengal benign benin benito benji benny benoit benson bent
benton benz berber berg bergen berger berlin berman bern bernie berry bert berth bertha bertie
beside bessie best bet beta beth bethel betray bets betsy better betty bey beyond bf bhp bhutan
bi bianca bias biased bible biceps bid bids bien big bigger bihar bike biker bikes biking
bikini bilbao bile bill billed billie bills billy bin binary bind binds bing bingo bio birch
bird birds birth births bis bishop bison bit bitch bite bites biting bits bitten bitter bjorn
bjp bk black blacks blade bladed blades blah blaine blair blake blame blamed blanc blanca
blanco bland blank blast blasts blaze blazed bleak bled bleed blend bless blew blind blinds
blink bliss blitz bloc block blocks blog blogs blond blonde blood bloody bloom blooms blouse
blow blown blows blu blue blues bluff blunt blur blush bmg bmw bn bo boar board boards boasts
boat boats bob bobbed bobbie bobby bobo boca bodied bodies bodily bodo body boeing boer bog
bogota boil boiled boiler bois boise bold bolt bolted bolton bolts bomb bombay bombed bomber
bombs bon bond bonded bonds bone bones bonn bonnet bonnie bono bonus bony boo boogie book
booked booker books boom boomed boon boone boost boot booth booths boots bop border bore bored
borg boring boris born borne borneo borrow bosch bose bosnia boss bosses boston bot botany both
bother bottle bottom bought bounce bound bounds bounty bourne bout bouts bow bowed bowen bowie
bowing bowl bowled bowler bowls bowman bows box boxed boxer boxers boxes boxing boy boyd boyer
boyle boys bp br bra brace braced brad braden brady bragg brahms braid brain brains brake
brakes bram bran branch brand brands brandt brandy brant brasil brass brat braun brave braves
bravo brawl bray brazil breach bread break breaks breast breath bred bree breed breeds breeze
bremen brenda brent brest bret breton brett brew brewer brian bribe bribes brick bricks bride
bridge brief briefs brien brig briggs bright bring brings brink brisk brit brno bro broad brock
brodie brody broke broken broker bronx bronze brood brook brooke brooks broom bros brow brown
browne browns brows bruce bruins bruise brunei bruno brush brutal brute bryan bryant bryce bryn
bryson bs bsc bt bu bubba bubble buck bucket buckle bucks bud buddha buddy budge budget buds
buena buenos buff buffer buffet buffy bug bugs buick build builds built bukit bulb bulbs bulge
bulk bulky bull bullet bulls bully bum bump bumped bumper bumps bun bunch bundle bunk bunker
bunny burden bureau buren burger burial buried burke burma burn burned burns burnt burr burst
bursts burt burton bury bus busch buses bush bushes bust busted buster busy but butch butler
butt butte butter button buy buyer buyers buying buys buzz buzzed bwf bwv by bye bypass byrd
byrne byron byte bytes byu ca cab cabin cabins cable cables cache cactus cad cade caden cadet
cadets cadiz caesar caf cafe cafes cage cages cai cain caine cairns cairo cake cakes cal calais
calder cale caleb calf caliph call called caller callie calls callum calm calmed calmly calves
calvin cam camden came camel cameo camera camp camped campo campos camps campus can canada
canal canals canary cancel cancer candi candle candy cane canine canned cannes cannon cannot
canoe canon canons canopy cans canton cantor canvas canyon cao cap capcom cape capita capped
caps capt car cara carbon card cards care cared career cares caress carey cargo caring carl
carla carlo carlos carly carmel carmen carol carole carp carpet carr carrie carrot carry cars
carson cart cartel carter carts carved carver cary cas casa case cases casey cash casino casket
casper cass cassie cast caste castes castle castro casts casual cat catch cater cathy cats
cattle caucus caught causal cause caused causes cave cavern caves cavity cayman cb cbc cbe cbn
cbs cc cd cdc cdp cds ce cease ceased cebu cecil cedar ceded cedric celia celine cell cellar
cello cells celtic cement census cent center centre centro cents ceo cereal cerro cesar cesare
cessna ceylon cf cfa cfl ch cha chad chain chains chair chairs chalk champ champs chan chance
chang change chant chants chao chaos chapel char charge charm charms chart charts chase chased
chases chat chavez che cheap cheat check checks cheek cheeks cheer cheers cheese chef chefs
chen cheney cheng cher cherry cheryl chess chest chests chet cheung chevy chew chewed chi
chiang chiba chick chicks chico chief chiefs child chile chili chill chilly chimed chin china
ching chip chips chloe cho choi choice choir choirs choke choked chong choose chop chopin
chopra choral chord chords chores chorus chose chosen chow chris christ chrome chu chuck chun
chung chunk chunks church ci cia cicero cid cigar cinder cindy cinema cipher circa circle
circus cis cisco cite cited cites cities citing citrus city ciudad civic civil ck cl clad clade
claim claims clair claire clan clancy clans clap clara clare clark clarke clary clash clasp
class claude claus clause claw clawed claws clay clean clear clears clench clergy cleric clerk
clerks clever click clicks client cliff cliffs climax climb climbs clinch clinic clint clip
clips clit clive cloak clock clocks clone clones close closed closer closes closet cloth cloud
clouds cloudy clover clown club clube clubs clue clues clumsy clung clutch clyde cm cmll cn cnn
co coa coach coal coarse coast coasts coat coated coats cobalt cobb cobra coca cochin cock
cocked cocky coco cocoa cod code coded codes codex coding cody coe coffee coffin cohen coil
coiled coin coined coins coke col cola colby cold colder coldly cole coli colin collar collin
colon colony color colors colour colt colton colts column com coma comb combat combo come
comedy comes comet comets comic comics coming commit common como comply comte comune con conan
conde condo condom condor cone cones cong congo conner connie connor conor conrad consul contra
convex convey convoy conway cook cooke cooked cookie cooks cool cooled cooler coop cooper cop
copa cope copied copies coping copper cops coptic copy cora coral corbin cord cords core cores
corey cork corn corner corona corp corps corpse corpus cortes cortex cory cosmic cosmos cost
costa costly costs cot cote cotton couch cough could couldn count counts county coup coupe
couple course court courts cousin cove coven covent cover covers covert cow cowan coward cowboy
cows cox coyote cozy cp cpc cpi cpu cr crab crabs crack cracks cradle craft crafts craig cramer
crane cranes crank crap crash crate crater crates craved craven crawl crazed crazy cream creamy
create credit cree creed creek creeks creep creepy creole crept crest crete crew crewe crews
cried cries crime crimea crimes crises crisis crisp critic croats croft croix crook crop crops
crore crosby cross crotch crouch crow crowd crowds crowe crown crowns crows crude cruel cruise
crunch crush crust cruz cry crying crypt cs csa csi ct ctv cu cub cuba cuban cube cubic cubs
cuckoo cue cues cuff cuffs cullen cult cum cup cupped cups curate curb cure cured curl curled
curls curly curran currie curry curse cursed curses curt curtis curve curved curves custer
custom cut cute cutler cuts cutter cv cw cy cyber cycle cycles cyclic cyprus cyril cyrus czech
da dad daddy dade daemon dagger dahl dai dail daily dairy daisy dakota dal dalai dale dali
dallas dalton daly dam damage dame damian damien dammit damn damned damon damp dams dan dana
dance danced dancer dances dane danes danger dani daniel danish danny dans dante danube danzig
daphne dar darby darcy dare dared daring dario darius dark darker darkly darren darryl dart
darted darts darwin daryl das dash dashed dat data date dated dates dating dave davey david
davies davis davy dawn dawned dawson dax day days dayton daze dazed db dc dd de dea deacon dead
deadly deaf deal dealer deals dealt dean dear death deaths debate debbie debra debris debt
debts debut debuts dec decade decay decca decent decide deck decker decks declan deco decor
decree dee deed deeds deemed deep deeper deeply deer def defeat defect defend define degree dei
deity del delay delays delhi dell della delle delta deluxe dem demand demi demise demo demon
demons demos den deng denial denied denies denim denis denise dennis denny denote dense dent
dental denton denver deny depart depend depict deploy depot dept depth depths deputy der derby
derek derive derry des desert design desire desk det detail detect deter deux dev devi device
devil devils devin devlin devoid devon devote devout dew dewey dex dexter dfb dh dhabi dhaka
dharma di dia diablo dial dialed diana diane diary diaz dice dick did didn die died diego dies
diesel diet dieter differ dig digest digger digit digits dil dillon dim dime dimly din dina
dinah dinamo diner ding dining dinner dino dion dip dipped dir dire direct dirk dirt dirty disc
disco discs discus dish dishes disk disks dismay disney distal ditch diva dive diver divers
divert divide divine diving dixie dixon dizzy dj djs dl dmitri dmitry dna do dobson doc dock
docked docks doctor dod dodd dodge dodged doe does doesn dog dogg dogs doha doi doin doing doll
dollar dolls dolly dom domain dome domed domes domino don dona donald donate done dong donkey
donna donnie donor donors doo doom doomed door doors doping dora dorian doris dorm dorsal
dorset dorsey dos dose doses dot dots dotted double doubt doubts doug dough dove dover dow down
downed downs dowry doyle dozen dozens dq dr draft drafts drag dragon drain drains drake drama
dramas drank draped draper draw drawer drawn draws dread dream dreams dress drew dried drift
drill drills drink drinks drip drive driven driver drives drone drones drop drops drove drown
drug drugs drum drums drunk drury dry drying dryly ds dso dt du dual duane dub dubai dubbed
dublin dubois duc duchy duck ducked ducks duct dude dudley due duel duet duets duff duffy dug
duke dukes dull duluth duly dumb dummy dumont dump dumped dun dunbar duncan dundee dune dunes
dung dunlop dunn dunne duo dupont duran durban durga durham during dusk dust dustin dusty dutch
duties dutton duty duval dvd dvds dwarf dwarfs dwell dwight dwyer dye dyed dyer dying dyke
dylan dynamo ea each eager eagle eagles ear earl earle earls early earn earned ears earth ease
eased easier easily easing east easter easton easy eat eaten eater eating eaton eats ebert
ebony ebook ec echo echoed echoes eco ecole ed eddie eddy eden edgar edge edged edges edible
edict edison edit edited edith editor edmond edmund edna edo eds eduard edward edwin ee eel
eels eerie effect effort egan egg eggs ego egypt eh eight eighth eighty eileen ein eine either
ek eki el elaine elbow elbows elder elders eldest elect elects elena eleven elf elgin eli elias
elijah eliot elisa elise elite elites eliza elk ella elle ellen ellie elliot ellis elm elmer
elsa else elsie elton elves elvis ely em email emails embark emblem embryo emerge emery emi
emil emile emilia emilio emily emir emma emmett emmy emory empire employ empty ems en enable
enamel encore end ended ending ends endure enemy energy eng engage engine enigma enjoy enjoys
enlist enoch enough enrico enroll ensign ensued ensure enter enters entire entity entry envoy
envy enzo enzyme ep epa epic epoch eps equal equals equity er era eras erase erased erect eric
erica erich erie erik erika erin ernest ernie ernst eroded erotic error errors erwin es esa
escape escort espana espn esq essay essays essen essex est estate este esteem esther et eta
etat etc etched ethan ethel ether ethics ethnic eton etudes eu eugen eugene eun eureka euro
europa europe euros ev eva evade evan evans eve evelyn even evenly event events ever every evie
evil evolve ewing ex exact exam exams exceed excel except excess excuse exempt exeter exile
exiled exiles exist exists exit exited exits exodus exotic expand expect expert expo export
expose extant extend extent extra extras eye eyed eyeing eyes eyre ezio ezra fa faa faber
fabian fabio fable fabric facade face faced faces facial facing fact facto factor facts fade
faded fades fading fae faerie fai fail failed fails faint fair fairly fairs fairy faith fake
falcon fall fallen fallon falls false fame famed family famine famous fan fancy fang fangs
fanny fans far fare fares fargo farm farmer farms faso fast faster fat fatal fate fated fates
father fatima fatty fault faults faulty fauna faust faux favor favors favour fay faye fbi fc
fcc fda fe fear feared fears feast feat feb fed fee feed feeder feeds feel feels fees feet fei
fein felipe felix fell fellow felony felt female femme fen fence fences fender feng fenton
feral fergus fern ferns ferrer ferris ferry fest fetal fetch feud feudal fever few fewer fey ff
fi fia fiance fiat fiba fiber fibers fibre fiddle fide field fields fierce fiery fiesta fifa
fife fifth fifty fig fight fights figure fiji file filed files filing fill filled fills filly
film filmed films filter filthy fin final finale finals finch find finds fine fined finely
finer fines finest finger finish finite finley finn fins fiona fir fire fired fires firing firm
firmly firms first firth fis fiscal fish fished fisher fishes fist fisted fists fit fitch fits
fitted fitz fivb five fix fixed fixing fjord fk fl flag flags flair flame flames flank flanks
flap flaps flare flared flash flat flatly flats flavor flaw flawed flaws flea fled flee flees
fleet fleets flesh flew flex flexed flick flies flight flinch fling flint flip flirt float
floats flock flood floods floor floors flop floppy flora floral flores flour flow flowed flower
flown flows floyd flu fluent fluffy fluid fluids flung flush flute flutes flux fly flyer flyers
flying flynn fm foam focal focus foe fog foil fold folded folder folds foley folk folks follow
folly fond font foo food foods fool fooled fools foot footed for forbes forbid force forced
forces ford fore forest forge forged forget forgot fork forks form formal format formed former
forms fort forte forth forts forty forum forums fossil foster fought foul found four fours
fourth fowler fox foxes foyer fr fra frail frame framed frames fran france franco francs frank
franks franz fraser fraud fray freak freaks fred freddy free freed freely freeze french frenzy
fresco fresh fresno freud frey freyja friar friars friday fridge fried friend fries fright
fringe fritz frog frogs from front fronts frost frown frowns froze frozen frs fruit fruits fry
ft fu fuck fucked fuel fueled fuels fuji fujian fulham full fuller fully fulton fumble fun fund
funded funds fungal fungi fungus funk funky funnel funny fur furry fury fuse fused fusion fuss
futile futsal future fuzzy fx ga gaa gabby gabe gable gabled gables gabon gael gaelic gag gaga
gage gail gain gained gaines gains gaius gal gala galaxy gale galen gall galley gallo gallon
galway gambia gamble game gamer games gaming gamma gan gandhi gang ganga gangs gao gap gaped
gaping gaps garage garcia garde garden gareth garion garlic garner garry garth gary gas gases
gasp gasped gasps gaston gate gates gather gauge gaul gaulle gaunt gave gavin gay gaza gaze
gazed gazes gazing gb gdansk gdp ge gear geared gears gee geek geese gel gem gemini gemma gems
gen gender gene genera genes geneva genie genius genoa genome genre genres gentle gently gentry
genus geo geoff georg george gerais gerald gerard german gerry get gets ghana ghent ghetto
ghost ghosts ghz gi gia giant giants gibbs gibson gideon gift gifted gifts gig giggle gigs gil
gilded giles gill gilles gills gin gina ginger girl girls giro give given gives giving glad
gladly gladys glance gland glands glare glared glass glazed gleam glee glen glenn glide glided
glider glint global globe gloom gloria glory gloss glossy glove glover gloves glow glowed glue
glued gm gma gmbh gmina gnome gnu go goa goal goals goat goats goblin god gods goes goethe gogh
goin going gold golden golf golfer gomez gone gong gonna goo good goods goofy google goose gora
goran gordon gore gorge gorman gospel gossip got goth gotham gothic gotta gotten gough gould
gov govern govt gown gp gps gr grab grabs grace gracie grade graded grades grady graeme graf
graham grain grains gram grammy grams gran grand grande grange granny grant grants grape grapes
graph graphs grasp grass grassy grave gravel graves gray graz grazed grease greasy great greco
greece greed greedy greek greeks green greene greens greer greet greg gregg gregor greta grew
grey grid grief grill grille grim grimes grimly grimm grin grind grins grip grips grit groan
groans groin groom groove gross ground group groups grove grover groves grow growl growls grown
grows growth gruff grunt grupo gs gt gu guam guard guards guerra guerre guess guest guests gui
guiana guide guided guides guido guild guilt guilty guinea guise guitar gulf gulp gulped gum
gun gundam gunmen gunn gunnar gunner guns gunter guo gupta gurney guru gus gust gustav gut guts
guy guyana guys guzman gwen gym gypsy ha haas habit habits hack hacked hacker had hades hadley
hadn hagen hague hahn hai haifa hail hailed hailey hair haired hairs hairy haiti haji hal hale
haley half hall halle halls halo halt halted halves ham hamas hamid hamish hamlet hammer han
hana hand handed handel handle hands handy hang hangar hanged hangs hangul hank hanna hannah
hanoi hans hansen hanson hapoel happen happy hara harald harbor hard harden harder hardin
hardly hardy hare hari harlan harlem harley harlow harm harmed harmon harold harp harper harris
harrow harry harsh hart harta harvey has hasan hash hasn hassan haste hasty hat hatch hate
hated hates hating hatred hats haul hauled haunt haute havana have haven having havoc havre
hawaii hawk hawke hawker hawks hay hayden haydn hayes haynes hays hazard haze hazel hazy hbo hc
hd he head headed header heads heal healed healer health healy heap hear heard hears hearst
heart hearth hearts heat heated heath heats heaved heaven heavy hebrew heck hector hedge hedges
hee heel heels heidi height heinz heir heirs held helen helena helene helens helium helix hell
heller hello helm helmet helmut help helped helps hem hen henan hence henley henri henrik henry
henson her herald herb herbal herbs herd herds here heresy herman hermes hermit hero heroes
heroic heroin heron herr hers hess hesse het hewitt hey hi hiatus hicks hid hidden hide hides
hiding high higher highly highs hike hiking hilary hilda hill hills hilly hilt hilton him hind
hindi hindu hindus hines hinges hint hinted hints hip hips hiram hire hired hires hiring hirsch
his hiss hissed hit hitch hitler hits hitter hiv hive hk hm hmm hms ho hoarse hoax hobart hobbs
hobby hoc hockey hodge hodges hog hogan hold holden holder holds hole holes hollis hollow holly
holm holmes holt holy homage home homer homes homme homo hon honda honest honey hong honor
honors honour hood hooded hook hooked hooker hooks hoop hooper hoover hooves hop hope hoped
hopes hoping hopped hopper horace horde horn horne horned hornet horns horror horse horses
horst horton hose host hosted hostel hosts hot hotel hotels hotter hound hounds hour hourly
hours house housed houses hove how howard howe howell howie howl howled hp hq hr hs html http
https hu hua huang hub hubert hudson hue huey huff huffed hug huge hugely hugged hugh hughes
hugo hugs huh hui hulk hull hum human humane humans humble hume humid hummed humor humour hunan
hung hunger hungry hunt hunted hunter hunts hurdle hurled hurley huron hurry hurst hurt hurts
hush hushed husky hut huts hutton hybrid hyde hydra hydro hymn hymns hyper hyun hz ia iaaf iain
ian iata ib ibm ibn ic icao icc ice iced ich icon iconic icons ict icy id ida idaho idea ideal
ideals ideas idf idiot idiots idle idol idols ie iec ieee if ign ignore igor ii iihf iii ik ike
il ile ill im image images imam immune imp impact imply import impose in ina inc inca inch
inched inches income ind indeed index india indian indie indies indigo indira indo indoor
induce indus indy infant influx info inform ing ingram ingrid injury ink inland inlet inline
inmate inn innate inner inning input inputs ins insane insect insert inside insist insult int
intact intake intel intend intent inter intern into intra intro inuit invade invest invite
inward io ioc ion iona ionic ions ios iowa ip ipa ipad iphone ipod iq iqbal ir ira iran iraq
iraqi irene irina iris irish iron ironic irony irs irvine irving irwin is isa isaac isabel
isaiah isbn isil isis isla islam island isle isles ismail isn iso israel iss issn issue issued
issues ist it italia italy item items itf ithaca ito its itself itunes itv iucn iv ivan ivanov
ives ivo ivory ivy ix izzy ja jace jack jacket jackie jacob jacobs jade jae jagged jagger
jaguar jai jail jailed jaime jain jaipur jake jakob jalan jam jamal james jamie jammed jammu
jan jana janata jane janet jang janice japan jar jared jars jarvis jase jason jasper java
javier jaw jaws jax jay jaya jayne jays jazz jc jd je jean jeanne jeans jed jedi jeep jeff
jelly jem jen jena jenks jenna jennie jenny jens jensen jeremy jerk jerked jerome jerry jersey
jess jesse jessie jesuit jesus jet jets jett jew jewel jewels jewish jews ji jia jian jiang
jihad jill jim jimi jimmie jimmy jin jing jingle jj jo joan joanna joanne joao job jobs jock
jockey jody joe joel joey jogged johan johann john johnny johns johor join joined joins joint
joints joke joked joker jokes joking jolly jolt jolted jon jonah jonas jones jong jonny joo
jordan jorge jose josef joseph josh joshi joshua josiah josie joy joyah joyce jozef jp jr ju
juan juarez judah judas judd jude judge judged judges judith judo judy jug juice juicy jul
jules julia julian julie julien juliet julio julius july jump jumped jumper jumps jun june jung
jungle junior junk juno junta jurgen juris jurist jury just justin ka kabul kade kahn kai
kaiser kala kali kam kamal kamen kan kane kang kansas kant kanye kaplan kapoor kappa kara
karate karel karen kari karim karin karl karma kassel kat kata kate kathy katie kato katy katz
kay kaye kayla kazakh kazan kb kc ke keane ked keel keen keenan keep keeper keeps kei keith
kellan keller kelley kelly kelsey kelvin kemp ken kendra kenji kenny kent kenton kenya kenyan
kepler kept kerala kerman kern kernel kerr kerry kettle kevin key keynes keys kg kgb khalid
khan khmer khyber khz ki kia kiara kick kicked kicker kicks kid kidd kidnap kidney kids kiel
kiev kilda kill killed killer kills kim kin kinase kind kinda kindly kinds king kings kira
kiran kirby kirk kiss kissed kisses kit kite kits kitten kitty klan klaus klein km kn knee
knees knelt knew knicks knife knight knit knives knob knock knocks knot knots know known knows
knox ko kobe koch kochi koln kong konrad koppen korea korean kosovo kota kraft krakow kramer
kris kruger ks ku kuala kumar kun kung kunst kurt kuwait kv kw kwan ky kyiv kyle kylie kyoto
kyushu la lab label labels labor labour labs lac lace laced lacey lack lacked lacks lacy lad
ladder laden ladies lads lady lagoon lagos laguna lahore lai laid lair laird lake lakers lakes
lal lam lama lamar lamb lambda lame lamp lamps lan lana lance land landau landed landon lands
lane lanes lang lange lanka lankan lao laos lap laps laptop lara large larger lark larkin larry
lars larsen larson larvae las laser lasers lash lashed lashes lass last lasted lastly lasts
laszlo latch late lately later latest latham latin latino latter latvia lau laude lauded laugh
laughs launch laura laurel lauren laurie lava laval lavish law lawful lawn laws lawson lawyer
lax lay layer layers laying layla layne layout lays layton lazy lb lbs lc lcd ld lds le lea
leach lead leader leads leaf leafs league leah leak leaked leaks lean leaned leans leap leaped
leaps leapt lear learn learns learnt leary lease leased leases leash least leave leaves led
ledge ledger lee leeds left leg legacy legal legend leger legged legion lego legs lehigh lehman
lei leiden leigh leith leland lemon len lena lend length lenin lennon lennox lenny lens lenses
lent leo leon leone leonid leroy les lesley leslie less lesser lesson lest lester let lethal
leto lets letter leung lev levant level levels lever levi levin levine levy lew lewis lex lexi
lexie ley leyte lgbt li lia liable liam liang liar libby libel libre libya libyan lick licked
lid lids lie lied liege lies lieu life lift lifted lifts liga ligand light lights ligue like
liked likely likes liking lil lila lilith lille lilly lily lim lima limb limbs lime limit
limits limo limp lin lina linda linden line linear lined linen liner lines lineup ling linger
lining link linked links linux lion lionel lions lip lips liquid liquor lisa lisbon lissa list
listed listen lister lists liszt lit liter litre litres litter little liu liv live lived lively
liver livery lives living liz liza lizard lizzie ll llc lloyd lo load loaded loads loaf loan
loaned loans lobby lobe lobes local locals locate loch lock locke locked locker locks loco
locus lodge lodged lodges loft log logan logged logic logo logos logs loire lois lok loki lola
london lone lonely long longed longer look looked looks loomed loop loops loose loosen looted
lopez lord lords lore loren lori los lose loser losers loses losing loss losses lost lot lots
lotus lou loud louder loudly lough louie louis louisa louise lounge louvre love loved lovely
lover lovers loves loving low lowe lowell lower lowers lowest lowry loyal loyola lp lsu lt ltd
lu lublin luc luca lucan lucas luce lucha lucia lucian lucie lucien lucius luck lucky lucy
ludwig luigi luis luisa lukas luke lulu lumber lump lumpur luna lunar lunch lund lung lunged
lungs lure lured lush lust luther luton lux luxury luz luzon lviv lydia lying lyle lyman lynch
lyndon lynn lynne lynx lyon lyons lyric lyrics ma mab mabel mac macau mace mach mack mackay
macon macro macy mad madam madame madden maddie maddox maddy made madhya madly madman madras
madrid mae mafia mag mage maggie magic magma magna magnet magnum magnus maha mahal mahmud mai
maia maid maiden maids mail main maine mainly mainz maison maize maj major majors make maker
makers makes makeup making mal mala malaga malawi malay malaya male males mali malibu malice
malik mall malley malls malmo malone malta mama mammal man mana manage manchu mandal mandir
mandy mane manga mango mani mania manila manly mann manned manner manny manor mans manson
mantle mantra manual manuel many mao maori map maple mapped maps mar mara marble marc marcel
march marche marcia marco marcos marcus mare marek marge margin margot mari maria marian marie
marin marina marine marino mario marion maris marius mark marked marker market marko marks
markus marley marlon marne maroon marred marrow marry mars marsh mart marta martha martin marty
martyr maru marvel marvin marx mary mas mascot masjid mask masked masks mason mass masses
massey massif mast master mat mata match mate mated mateo mater mates math mathew mating matrix
mats matt matteo matter mature maud maui max maxi maxim may maya maybe mayer mayhem mayo mayor
mayors mazda maze mb mba mbc mbe mc mca mcc mccain mccall mccann mccoy mcgee mcgill mcgraw
mckay mclean mcleod md me mead meade meadow meal meals mean means meant meat meath mecca med
medal medals media medial median medici medina medium medley meek meet meets meg mega megan mei
meiji mein mel melee mellon melody melt melted melvin member memo memoir memory men menace
mendes mendez meng menon mental mentor menu mer mercer mercy mere merely merge merged merger
merit merits merlin merry merton mesa mesh mess messed messy met meta metal metals meteor meter
meters method methyl metis metre metres metric metro mets metz mexico meyer mfa mg mgm mhz mi
mia miami mic micah mice michel mick mickey micro mid midday middle midi midst midway mig might
mighty miguel mika mike mikey mil milan milano mild mildly mile miles milk milky mill miller
millie mills milne milo milos milton mimi mimic min mina minas mind minded minds mine mined
miner miners mines ming minh mini mining minnie minor minors minsk mint minus minute mir mira
mirage miriam mirror mirza mis misery miss missed misses missy mist mister misty mit mitch mix
mixed mixer mixes mixing mk ml mla mlb mls mm mma mmm mn mo moan moaned moans moat mob mobile
mock mocked mod mode model models modern modes modest modify module moe moffat mohan mohawk moi
moines moist mojo mold molded mole molina molly molten mom moment momma mommy mon mona monaco
monday monde money mongol monica monk monkey monks mono monroe mons mont monte month months
monty mood moods moody moon moons moor moore moors moose mor mora moral morale morals moran
more moreno morgan mori moritz morley mormon morris morrow morse mort mortal mortar morton
mosaic moscow moses moshe mosque moss most mostly motel moth mother moths motif motifs motion
motive motor motors motown motto mound mounds mount mounts mouse mouth mouths move moved moves
movie movies moving mozart mp mph mps mr mri mrna mrs ms msc mt mtv mu much mud muddy mug
mughal muir mule muller multi mum mumbai mummy mundo munich munoz munro mural murals murder
muriel murmur murphy murray musa muscle muse mused musee museo museum music musica musik muslim
must muster mutant mute muted mutiny mutter mutual muzzle mv mvp mw mx my myers myles myra
myriad myrtle myself mysore mystic myth myths na naacp nad nadia nadu naga nagar nagoya nah
naia nail nailed nails nair naive nak naked nam name named namely names naming nan nana nancy
nanny nano nantes naomi nap nape napier napkin naples napoli nara narrow nas nasa nasal nascar
nash nassau nasser nasty nat natal nate nathan nation native nato nature nausea navajo naval
nave navy nawab nay nazi nazis nba nbc nbl nc ncaa ndp ne neal near nearby neared nearer nearly
neat neatly nebula nec neck necks nectar ned nedra nee need needed needle needs needy negro
nehru neil neill nell nellie nelly nelson neo neon nepal nepali nephew nero nerve nerves nes
ness nest nestor nests net nets neue neural nevada never new newark newell newer newest newly
newman news newt newton next nexus nfc nfl ng ngc ngo ngos nguyen nh nhl nhs ni niall nic nice
nicely niche nick nickel nicky nico nicola nicole niece nigel niger night nights nik nike
nikita nikki nikola nile nils nina nine ninety ninja nino ninth nipple nippon nissan nix nixon
nj nk nl nm nme nmi no noah nobel noble nobles nobody nod nodded node nodes nods noel noelle
noir noise noises noisy nokia nolan non none noon nope nor nora nord nordic norm norma normal
norman norms norris norse norte north norton norway nos nose nosed noses not notch note noted
notes nothin notice noting notion notre noun nouns nov nova novak novel novels novi novice novo
now np npr nr nrhp nrl ns nsa nsw nt nu nuclei nude nudged nueva nuevo null numb number nun
nunez nuns nur nurse nurses nut nuts nw nwa ny nyc nylon nyu nz oak oakley oaks oasis oath
oaxaca ob obama obe obey obeyed object oblast oboe obtain occult occupy occur occurs ocean
oceans och oclc oct octave odd oddly odds ode oder odessa odi odin odisha odor of off offer
offers office offs offset often og ogden oh ohio oil oilers oils ok okay ol olaf old older
oldest oldham oldies olds ole oleg olga olive oliver olivia ollie olsen olson om omaha oman
omar omega on once one ones onion onions online only ono onset onto onward op opaque open
opened opener openly opens opera operas opined opium oppose ops opt opted optic optics option
opus or oracle oral orange orb orbit orbits orchid ordeal order orders ore oregon org organ
organs orgasm oricon orient origin orion ornate oro orphan orr orson ortega ortiz orton os
osaka osborn oscar oskar oslo osman oswald ot otago other others otis ottawa otter otto ou
ought ounce our ours ousted out outer outfit outing outlaw outlet output outs outset outta oval
oven over overly overs ow owe owed owen owens owes owing owl owls own owned owner owners owning
owns ox oxford oxide oxygen oyster oz ozone pa pablo pac pace paced paces pacing pack packed
packet packs pact pad padded paddle paddy padma padre padres pads padua pagan page pages pagoda
paid paige pain pained pains paint paints pair paired pairs pak pal palace palais pale paler
pali palm palma palmer palms palo pam pamela pan panama panda pandit panel panels pang panic
panted pantry pants panzer paolo papa papacy papal paper papers papua par para parade parana
parc parcel pardon parent paris parish park parked parker parks parlor parma parody parole
parrot parry part parted partly parts party pas pascal pasha paso pass passed passes past pasta
paste pastor pastry pat patch patel patent path paths patio patna patrol patron patsy patted
patti patton patty pau paul paula paulo pause paused pauses paved pavel paving paw pawn paws
paxton pay paying payne pays payton paz pba pbs pc pcs pd pdf pe pea peace peach peak peaked
peaks peanut pear pearce pearl pearls peas peat peck pedal pedro pee peek peeked peel peeled
peer peered peers peg peggy pei peking pen pena penal penang pencil peng penis penn penned
penny pens people pep pepper pepsi per perch percy pere perez period permit perrin perry persia
person perth peru pest pet petals pete peter peters petit petite petra petrol pets petty pew
peyton pg pga ph phase phased phases phd phelps phi phil philip phoebe phone phones photo
photon photos php phrase pi pia piano pianos piazza pic pick picked picket picks pickup picnic
pie piece pieces pier pierce pierre piers pieter pietro pig pigeon pigs pike pile piled piles
pill pillar pillow pills pilot pilots pin pinch pine pines ping pink pinned pins pinto pinyin
pious pip pipe piper pipes piracy pirate pisa piss pissed pistol piston pit pitch pits pitt
pitted pity pius pixel pixels pizza pl place placed places plague plaid plain plains plan
planck plane planes planet plank plans plant plants plaque plasma plata plate plates plato
platt play played player plays plaza plc plea plead pleas please pledge plenty plight plot
plots plug plum plume plump plunge plural plus plush pluto pm pmid po pocket pod podium pods
poe poem poems poet poetic poetry poets point pointe points poised poison poke poked poker
poking pol poland polar pole poles police policy polish polite polk polka poll polled pollen
polls polly polo poly ponce pond ponder ponds pont pony pool poole pools poor poorer poorly pop
pope popped poppy pops por porch pork porn port portal porte ported porter porto ports pose
posed poses posing posse post postal posted poster posts pot potato potent potion pots potter
pouch pound pounds pour poured pow powder powell power powers poznan pp pr prague praise prank
prasad pratt pray prayed prayer prc pre preach prefer prefix prem premio prep press pretty prey
pri price priced prices prick pride priest prima primal prime prince print prints prior priory
prism prison privy prix prize prized prizes pro probe prof profit prom promo prompt prone proof
prop proper props prose proto proton proud prove proved proven proves proxy pry ps psalm psalms
pseudo psi psyche psycho pt pts pu pub public pubs puck puddle puebla pueblo puerto puff puget
pull pulled pulls pulp pulpit pulse pulsed pulses pump pumped pumps pun punch pune punish
punjab punk punt punta pup pupil pupils puppet puppy purdue pure purely purge purity purple
purse pursed pursue push pushed pushes pussy put putin putnam puts puzzle pv python qaeda qatar
qb qc qi qin qing qu quad quake quaker quan quarry quartz quasi quay que quebec queen queens
queer query quest queue quezon qui quick quiet quilt quincy quinn quit quite quiver quiz quo
quota quote quoted quotes qur quran ra raaf rabbi rabbis rabbit race raced racer racers races
rachel racial racing racism racist rack racks radar radha radial radio radios radius rae raf
rafael rafe raft rag rage raged ragged raging rags rahman rai raid raided raider raids rail
rails rain rained rainer rains rainy raion raise raised raises raj raja raju rake raked rally
ralph ram rama rammed ramon ramos ramp ramps rams ramsay ramsey ran rana ranch rancho rand
random randy rang range ranged ranger ranges rani rank ranked rankin ranks rann ransom rao
raoul rap rape raped rapid rapids rapper rare rarely ras rash rashid rasped rat rate rated
rates rather rating ratio ratios rats rattle raul rave raven ravens ravi ravine raw ray rayon
rays razor rb rbi rbis rc rca rd re reach react reacts read reader reads ready reagan real
really realm realms reaper rear reared reason rebel rebels reborn rec recall recent recess
recipe reckon recoil record rector red reddy reds reduce reece reed reef reefs reel rees reese
reeve reeves ref refer refers refit reflex reform refuge refuse reg regain regal regan regard
regent reggae reggie regime regina region regis regret rehab rei reich reid reign reigns reilly
rein reins reject rejoin relate relax relay relic relics relied relief relies rely remade
remain remake remark remedy remind remix remote remove remy ren renal render rene renee renew
reno rent rental rented rents rep repair repay repeal repeat replay reply report res rescue
reset reside resign resin resist resort rest rested rests result resume retail retain retire
retro return reuben reused rev reveal review revive revolt revue reward rex rey reyes reza rf
rfc rhea rhine rhino rhode rhodes rhone rhyme rhymes rhys rhythm ri riaa rib ribbon ribs ric
rica rican rice rich richer riches richie richly rick ricky rico rid ridden riddle ride rider
riders rides ridge ridges riding ridley riff rifle rifles rift rig riga rigged right rights
rigid riley rim ring ringo rings rink rio rios riot riots rip ripe ripley ripped ripple rise
risen rises rising risk risked risks risky rita rite rites ritter ritual rival rivals river
rivera rivers rm rms rn rna ro roach road roads roam roar roared roast rob robb robbed robber
robbie robe robert robes robin robot robots robson robust robyn roc rocco roche rock rocked
rocker rocket rocks rocky rod rode rodeo rodney rods roe roger rogers rogue rohan roi roland
role roles rolf roll rolled roller rolls rom roma roman romani romano romans rome romeo romero
romney ron ronald ronan ronin ronnie roof roofed roofs rook rookie room rooms rooney root
rooted roots rope ropes rory rosa rosary rose rosen roses rosie ross rossi roster rosy rot
rotary rotate roth rotor rotten rouen rouge rough round rounds rourke rouse route routed routes
rover rovers row rowan rowe rower rowing rows roxy roy royal royale royals royce rpg rpm rq rr
rs rt rte ru rub rubbed rubber rubble ruben rubin rubs ruby rudd rudder rude rudolf rudy rue
rufus rug rugby rugged ruin ruined ruins ruiz rule ruled ruler rulers rules ruling rum rumble
rumor rumors run rune runes runner runoff runs runway rupert rural rus ruse rush rushed rushes
russ russia russo rust rustic rusty ruth rv rwanda ry ryan ryder rye ryu sa sabah saber sabha
sabine sable sabre sabres sac sachs sack sacked sacks sacred sad saddam saddle sadie sadler
sadly saetan safari safe safely safer safety saga sage sagged sahara sahib sai said saigon sail
sailed sailor sails saint sainte saints sake sakura sal salad salary sale salem sales salim
saline saliva salle sally salman salmon salon saloon salsa salt salts salty salute sam samba
same sami sammy samoa sample samson samuel san sand sandra sands sandy sane sang sanity sanjay
sank sans sant santa santo santos sao sap sar sara sarah sas sash sasha sat satan satin satire
sato saturn sauce saudi saul sava savage save saved saves saving savior savoy saw sawyer sax
saxe saxon saxons saxony say saying says sb sbs sc scala scale scaled scales scalp scan scans
scar scarce scare scared scares scarf scars scary scene scenes scenic scent scents scheme
school sci scoop scope score scored scorer scores scotch scotia scots scott scout scouts scowl
scrap scrape scream screen screw scribe script scroll scrub scuba scully sd se sea seal sealed
seals seam seaman seamen seamus sean search sears seas season seat seated seater seats sec
second secret sect sector secure sedan seduce see seed seeded seeds seeing seek seeker seeks
seem seemed seems seen sees sega seine seize seized seldom select selena self sell seller sells
selma semi sen senate send sends seneca senior sense sensed senses sensor sent sentai seo seoul
sep sept sequel ser sera serb serbia serbs serena serene serge sergei sergey sergio serial
serie series sermon serra serum serve served server serves sesame set seth seton sets settle
setup seven sevens severe severn sewage sewer sewing sex sexes sexual sexy sf sg sgt sh sha
shack shade shaded shades shadow shady shaft shafts shaggy shah shake shaken shakes shaky shale
shall sham shaman shame shan shane shang shape shaped shapes shards share shared shares sharif
shark sharks sharma sharon sharp sharpe shaun shave shaved shaw shawn shay she shea shear
sheath shed sheds sheen sheep sheer sheet sheets sheikh sheila shelby shelf shell shells shelly
shen sheng sherry shi shia shield shift shifts shin shine shiny ship ships shire shirt shirts
shit shitty shiva shiver sho shock shocks shoe shoes shone shook shoot shoots shop shops shore
shores short shorts shot shots should shout shouts shove shoved shovel show showed shower shown
shows shri shriek shrill shrimp shrine shrink shrub shrubs shrug shrugs shu shut shy si siam
sic sicily sick sid side sided sides siding sidney siege siegel siena sienna sierra sigh sighed
sighs sight sights sigma sign signal signed signs sikh sikhs silas silent silk silky silly
silva silver silvia silvio sim sima simeon simi simon simone simple simply sims sin sinai since
sindh sing singer singh single sings sink sinks sinn sino sins sioux sip sipped sir sire sired
siren sirens sirius sis sister sit sitcom site sited sites sits situ six sixth sixty size sized
sizes sk ska skate skater sketch ski skier skies skiing skill skills skin skinny skins skip
skirt skirts skopje skull skulls sky skye skyla skylar sl slab slabs slack slacks slade slain
slalom slam slams slang slant slap slash slate slated slater slave slaves slavic slayer sleek
sleep sleeps sleepy sleeve slept slice sliced slices slick slid slide slides slight slim sling
slip slips slit slits sloan sloane slogan sloop slope slopes sloppy slot slots slovak slow
slowed slower slowly slug slump slung sly sm smack small smart smash smell smells smile smiled
smiles smiley smirk smith smoke smoked smoky smooth sms smug smyth snack snacks snail snails
snake snakes snap snaps snarl snatch sneak sniff sniper snoop snort snout snow snowy snuck
snyder so soaked soap soared sob sobbed sober sobs soc soccer social socio sock socket socks
soda sodium sofa sofia sofie soft softer softly soho soil soils sol solar sold sole solely
solemn solid solids solo solos solve solved somali somber some somme son sonar sonata song
songs sonia sonic sonny sonora sons sony sonya soo soon sooner soothe sophia sophie sore sorrow
sorry sort sorted sorts soto sought soul souls sound sounds soup sour source sous sousa south
souza soviet sox soy soyuz sp spa space spaced spaces spade spain span spans spare spared spark
sparks sparse sparta spat spawn spd speak speaks spear spears spec sped speech speed speeds
speedy spell spells spence spend spends spent sperm sphere sphinx spice spices spicy spider
spies spike spiked spikes spill spin spinal spine spines spins spiral spire spirit spit spite
splash split splits spoil spoke spoken sponge spoon spores sport sports spot spots spouse spp
sprang spray spread spring sprint spruce sprung spun spur spurs spy spying sq sql squad squads
square squash squat squeak squid squire sr sri ss ssr st stab stable stacey stack stacks stacy
stade staff stage staged stages stain stains stair stairs stake stakes stale stalin stalk
stalks stall stalls stamp stamps stan stance stand stands stanza staple star stare stared
stares stark starr stars start starts stat state stated staten states static stats statue
status stay stayed stays ste steady steak steal steals steam steel steele steep steer stefan
stein stella stem stems stench step steppe steps stereo stern steve steven stevie stew stick
sticks sticky stiff stigma stil still stills sting stink stint stir stitch stock stocks stoke
stokes stole stolen stone stones stony stood stool stop stops store stored stores storey storm
storms stormy story stout stove strain strait strand strap straps strata straw stray streak
stream street stress strewn strict stride strife strike string strip stripe strips strive
strode stroke stroll strong struck strung sts stu stuart stucco stuck stud studio study stuff
stump stung stunt stunts stupid sturdy style styled styles styx su suarez sub submit subset
subsp subtle subtly suburb subway such suck sucked sucker sucks sud sudan sudden sue sued suez
suffer suffix sufi sugar sui suit suite suited suites suits sul sulfur sultan sum summer summit
summon sumner sumo sums sun sunday sung sunk sunken sunni sunny suns sunset super superb supper
supply sur sure surely surf surfer surge surged surrey survey susan susie sussex sutra sutton
suv suzuki suzy sv sven sw swam swami swamp swamps swan swans swap swarm swat sway swayed swear
sweat sweaty sweden sweep sweeps sweet sweets swell swept swift swim swing swings swiped swirl
swiss switch sword swords swore sworn swung sy sydney syed sykes sylvia sylvie symbol syn sync
synod syntax synth syria syriac syrian syrup system ta tab table tables tablet taboo tack
tackle tacoma tactic tad tae taft tag tagged tags tai tail tailed tailor tails taipei taiwan
tak take taken takes taking tal talbot tale talent tales talk talked talks tall taller tally
talmud talon taluk taluka tam tamara tame tamil tammy tampa tan tanaka tandem tang tangle tango
tank tanker tanks tanned tanner tanya tao tap tape taped tapes tapped taps tar tara target
tariff tarzan tasha task tasked tasks taste tasted tastes tata tatar tate tattoo tatum tau
taught taut tavern tavi tax taxa taxes taxi taxis taxon tay taylor tb tbs tc td te tea teach
team teamed teams tear tears tease teased teaser teatro tech techno ted teddy tee teen teens
teeth tehran tehsil tel tell teller tells telugu temper temple tempo temps ten tenant tend
tended tender tends tennis tenor tens tense tensed tensor tent tenth tents tenure ter teresa
term termed terms terra terre terri terror terry tesla tess tessa test tested tests tex texans
texas text texted texts th tha thai thames than thank thanks that thayer the thee theft their
theirs them theme themed themes then thence theo theory there these thesis theta they thick
thief thigh thighs thin thing things think thinks third thirds thirst thirty this tho thom
thomas thong thor thorn thorne thorns thorpe those thou though thrash thread threat three threw
thrill thrive throat throne throw thrown throws thru thrust thud thug thugs thumb thumbs thump
thus thy ti tia tian tibet tick ticked ticket tidal tide tides tidy tie tied tier ties tiger
tigers tight til tile tiled tiles till tilt tilted tim timber time timed timely timer times
timing timmy timor tin tina ting tinged tingle tinted tiny tip tipped tips tirana tire tired
tires tis tissue titan titans title titled titles tito tits titus tko tn tna tnt to toad toast
tobago tobias tobin toby tod today todd toe toes togo toilet token tokyo told toledo toll tom
tomas tomato tomb tombs tome tommy ton tone toned tones tong tonga tongue toni tonic tonnes
tons tony too took tool tools tooth top topic topics topped tops tor torah torch tore tori
torino torn toro torque torre torres torso tory toss tossed total totals touch tough toulon
tour toured tours tow toward towed towel towels tower towers towing town towns toxic toxin toy
toyota toys tq tr trace traced traces tracey track tracks tract tracts tracy trade traded
trader trades tragic trail trails train trains trait traits tram trams tran trance trans trap
traps trash trauma travel travis tray tre tread treat treats treaty tree trees trek tremor
trench trend trends trent tres trevor trey tri triad trial trials tribal tribe tribes trick
tricks tricky tried trier tries trim trio trip triple trips trois trojan troll trolls troop
troops trophy trough troupe trout troy truce truck trucks true truly truman trump trunk trunks
truss trust trusts truth truths try trying ts tsar tt tu tub tuba tube tubes tuck tucked tucker
tucson tudor tufts tug tugged tugs tulane tully tulsa tumble tumor tumors tun tuna tune tuned
tunes tung tunic tuning tunis tunnel turbo turf turin turing turk turkey turkic turks turn
turned turner turns turret turtle tutor tv twain tweed twelve twenty twice twigs twin twins
twist twists twitch two tx ty tying tyler tyne type typed types typing tyrant tyre tyres tyrol
tyrone tyson ua uae uber uc uci ucla ud uefa ufc ufo uganda ugly uh uhf ui uk ul ulrich ulster
ultra um umar umm umpire un una unable uncle uncles und undead under undo undone une unease
uneasy unesco uneven unfair unfit unicef union unions unique unison unit unite united units
unity unix unless unlike unlock uno unpaid unrest unsafe unseen unsure until unto unused up
upbeat update upheld uphold upland upon upper ups upset upside upton uptown upward ur urban
urbana urdu urge urged urgent urges urging urine ursula us usa usable usaf usage usb usc usd
use used useful user users uses usher using usl uss ussr usual ut uta utah utc utmost utopia
uttar utter uv va vacant vacuum vague vain val vale valet valid valle valley valor value valued
values valve valves vamp vamps van vance vane vanish vanity vans vapor var vargas varied varies
vary vase vassal vast vastly vaughn vault vaults vc ve vector vedic vega vegas veil vein veins
velvet vendor venice venom vent vents venue venues venus vera verb verbal verbs verde verdi
verge verify verity verlag vernon verona versa verse verses versus vertex verve very vessel
vest vested vet veto vfl vhf vhs vi via viable vial vibe vic vicar vice vichy vicki vicky
victim victor vida vidal video videos vidhan vie vienna viet view viewed viewer views vigor vii
viii vijay viking vikram viktor vila vile villa villas ville vimes vin vince vinci vine vines
vinnie vinyl viola violet violin vip viper viral virgil virgin virtue virus vis visa visas
vishnu vision visit visits vista visual vita vital vito vitro viva vivian vivid vivo viz vlad
vo vocal vocals vodka vogel vogue voice voiced voices void vol volga volley vols volta volume
volvo vomit von voodoo vortex voss vote voted voter voters votes voting vow vowed vowel vowels
vows vox voyage vp vr vs vt vu vuelta vulcan vulgar wa wade wadi wage wages wagner wagon wagons
wah wai waist wait waited waiter waits waived wake wakes waking wal walden waldo wales walk
walked walker walks wall walled waller wallet wallis walls wally walnut walsh walt walter
walton waltz wan wand wanda wander wang wanna want wanted wants war ward warden wards ware
warily warm warmed warmer warmly warmth warn warned warner warns warp warped warren wars warsaw
wary was wash washed wasn wasp wasps waste wasted wat watch water waters watery watson watt
watts wave waved waves waving wavy wax way wayne ways wb wc wcw we weak weaken weaker weakly
wealth weapon wear wears weary weasel weave weaver web webb webber weber wed wedge wee weed
weeds week weekly weeks weep wei weigh weighs weight weimar weir weird weiss welch welded well
welles wells welsh wen wendy went wept were weren werner wes wesley wessex west weston wet
whale whales wharf what wheat wheel wheels when where which whig while whilst whip whisky white
whites who whoa whole wholly whom whore whorls whose why wi wicked wicket wide widely widen
wider widow widows width wien wiener wife wig wigan wight wii wil wilbur wilcox wild wilde
wilder wildly wiley wilkes will willed willem willie willis willow wills willy wilson wilton
win wince winced wind window winds windy wine winery wines wing winged winger wings wink winked
winner winnie wins winter wipe wiped wiping wire wired wires wiring wisdom wise wish wished
wishes wit witch with within wits witty wives wizard wnba wo woke woken wolf wolfe wolff wolves
woman womb women won wonder wong woo wood wooded wooden woods woody wool woolf word words wore
work worked worker works world worlds worm worms worn worry worse worst worth worthy would
wouldn wound wounds woven wow wr wrap wraps wrath wreath wreck wren wright wrist wrists writ
write writer writes wrong wrote wry wryly wta wu wwe wwf wwii www wyatt wylie wynn xander
xavier xbox xi xiang xiao xii xiii xiv xl xml xp xu xv xvi xx ya yacht yahoo yale yamaha yan
yang yank yanked yankee yao yard yards yarn yates yawned yd ye yeah year yearly years yeast
yell yelled yellow yells yemen yen yep yer yes yet yi yield yields yin ying ymca yo yoga yoko
yong yoo yoon york yorker you young your yours youth youths yu yuan yue yuki yukon yun yunnan
yuri yusuf yves yvonne za zac zach zack zagreb zambia zane ze zebra zee zeke zen zenith zero
zeta zeus zev zhang zhao zheng zhou zhu zinc zion zip zipper zodiac zoe zombie zone zones
zoning zoo zoom zu zulu zur zurich
""".split()
)
