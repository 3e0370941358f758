"""Hinglish (hi-Latn) and Marathi in Latin letters (mr-Latn) templates, written for the project."""

BANK_FRAUD_HI = [
    "Sir mujhe {phone} se call aaya, bola {bank} se bol raha hu, KYC update nahi kiya to account block ho jayega. OTP maang raha tha.",
    "{phone} ye number fraud hai, khud ko {bank} customer care bata ke CVV aur PIN maangta hai. Please block karo.",
    "{rel} ko {phone} se call aaya, card block hone ka bol ke OTP le liya aur {amt} kat gaye. Help karo sir 🙏",
    "Fake {bank} msg aaya hai ki aapka account aaj band ho jayega, link pe KYC karo {url} . Sender {phone}",
    "{sapp} download karwaya aur mere {bank} account se {amt} nikal liye. Number tha {phone}. Kripya madad kare.",
    "Google pe {app} customer care number mila {anyphone}, unhone refund ke naam pe collect request bheji {upi} se aur {amt} chale gaye.",
    "Bhai log savdhan rahe, {phone} se call aata hai reward points redeem karne ke liye, link bhejte hai {url}. Pura fraud hai.",
    "mere account se {amt} debit ho gaye, caller {phone} ne bola tha credit card limit badhani hai otp batao",
    "Sir {bank} ke naam pe fraud ho raha hai, {phone} se call karke bolte hai aapka ATM card band hai, naya chahiye to card number aur OTP do.",
    "Is number ko block karo {phone}. Roz call karta hai ki PAN card link nahi hai {bank} account freeze hoga.",
    "Ek aadmi ne {bank} manager ban ke {phone} se call kiya aur 'safe account' a/c no {acct} me paise transfer karwaye. {amt} gaye.",
    "Collect request aayi {upi} se, bola {app} cashback hai, PIN dala to {amt} kat gaye. Caller {phone}. UTR {utr}",
    "{phone} fraud call. bank wala bol ke otp manga",
    "{bank} KYC ke naam pe {phone} se SMS aaya, link {url}. Mummy ne click kar diya, {amt} nikal gaye. 1930 pe complaint ki, ack no {ack}.",
    "Sir plz help, {phone} ne mere papa se debit card ka CVV aur expiry le liya bol ke card renew karna hai. Card ending {last4} se {amt} ka transaction hua.",
    "Ye log {tollfree} ko {bank} ka toll free bata ke Google pe daal rakha hai. Call karo to {sapp} install karwate hai. Fake hai.",
    "{phone} aur {phone2} dono se call aa rahe hai {bank} head office ke naam pe. Bolte hai account hold pe hai, OTP batao.",
    "mujhe email aaya {email} se {bank} jaisa dikhta hai, netbanking password maang rahe hai {url} pe. phishing hai",
    "SIM band ho gaya aur usi din {bank} account se {amt} nikal gaye. Ek din pehle {phone} se call aaya tha KYC ke liye.",
    "Sir {app} support bol ke {phone} wale ne screen share karwaya {sapp} pe, phir {amt} ka UPI kar diya {upi} ko.",
]

OTHER_HI = [
    "{phone} se WhatsApp pe job offer aaya, YouTube like karo aur {samt} roz kamao. Baad me task ke naam pe {amt2} le liye. Scam hai.",
    "Sir {phone} se call aaya bola aapke naam ka {courier} parcel pakda gaya hai drugs ke saath, {agency} se baat karo. Phir video call pe digital arrest kiya.",
    "Bijli bill ka fake msg aaya {phone} se, aaj raat {time} light kat jayegi. Pura fraud hai.",
    "OLX pe army wala bol ke {phone} ne QR scan karwaya aur {amt} kat gaye.",
    "Loan app wale {phone} se gali dete hai aur contacts ko morphed photo bhej rahe hai. Maine loan liya hi nahi.",
    "KBC lottery {amt} jeetne ka msg {phone} se, bolte GST bharo {amt2}. Fake.",
    "Telegram trading group me {amt} invest karwaya, ab withdraw nahi ho raha. Admin {foreign}, site {ourl}.",
    "{place} ke {bank} ATM me 3 din se paisa nahi hai. Koi dekho.",
    "{bank} {place} branch ka staff bahut rude hai, {n} ghante line me khada rakha.",
    "Thank you {handle}, aapki wajah se mere {amt} wapas aa gaye. FIR {fir}.",
    "ATM se paisa nahi nikla par {amt} kat gaye, ref no {utr}. {bank} kuch nahi kar raha.",
    "{place} me raat ko 1 baje tak DJ baj raha hai, please police bhejo.",
    "Mera mobile chori ho gaya {place} station pe, IMEI {imei}. Madad kare.",
    "{rel} kal se ghar nahi aaye, last location {place}. Unka number {phone} band aa raha hai. Please help.",
    "Sir {place} me chain snatching hui {time}, do ladke bike pe the.",
    "Mera purse kho gaya {place} me, Aadhaar {aadhaar} bhi tha usme. Lost report kaise banaye?",
    "Sextortion call aaya {phone} se, ab video viral karne ki dhamki de rahe aur {amt} maang rahe.",
    "TRAI ke naam pe {phone} se call, bola number 2 ghante me band hoga. Fir 'police' se baat karwayi.",
    "Facebook pe {rel} ki fake id bana ke paise maang rahe hai {upi} pe. Kya kare?",
    "Complaint {ack} ka status kya hai? {date} ko file kiya tha cyber portal pe.",
]

TRAFFIC_HI = [
    "{veh} roz footpath pe park hoti hai {landmark} ke paas {place} me. Log road pe chalne ko majboor.",
    "{road} pe {vehicle} {veh} wrong side se aa raha tha, accident hote hote bacha.",
    "{veh} ne {place} signal jump kiya, traffic police dekhte reh gayi.",
    "Bike {veh} pe 3 log bina helmet, {place} me stunt kar rahe the.",
    "Auto wala {veh} meter se jane ko mana kar raha hai {place} station pe, {fare} maang raha.",
    "{place} me {road} pe double parking, pura jam. {veh} subah se khadi hai.",
    "Raat ko {time} {veh} horn baja baja ke pareshan kar raha hai, hospital zone hai.",
    "{place} signal band hai subah se, koi traffic police nahi hai. Bahut jam hai.",
    "{veh} wala bahut tez aur zig zag chala raha tha {road} pe, bacche school ja rahe the.",
    "Sir humari society ke gate ke bahar {veh} aur {veh2} park hai, ambulance andar nahi aa payi.",
    "wrong side {veh} {road} roz ka hai ye",
    "Dumper {veh} no entry me ghusa {place} me, road pe mitti gira di.",
    "Cab {veh} ka driver phone pe baat karte hue gaadi chala raha tha {road} pe.",
    "Taxi {veh} ne {place} jaane se mana kiya aur badtameezi ki.",
]

BANK_FRAUD_MR = [
    "Mala {phone} varun call aala, {bank} madhun boltoy mhanala, KYC nahi kela tar account band hoil. OTP magat hota.",
    "{phone} ha fraud number aahe, {bank} customer care mhanun CVV ani PIN vicharto. Krupaya block kara.",
    "{rel} la {phone} varun call aala, card block hoil mhanun OTP ghetla ani {amt} gele.",
    "{bank} cha fake SMS aala, link var KYC kara {url}. Pathavnara {phone}.",
    "{sapp} install karayla lavla ani account madhun {amt} kadhle. Number {phone}. Madat kara.",
    "Google var {app} customer care number milala {anyphone}, refund sathi collect request aali {upi} varun, {amt} gele.",
    "{phone} varun reward points redeem kara mhanun call yeto, link {url}. Savdhan raha.",
    "credit card limit vadhvto mhanun {phone} ne otp vicharla ani {amt} debit zale",
    "{bank} manager mhanun {phone} ne call kela, safe account a/c no {acct} madhe paise takayla lavle. {amt} gele.",
]

OTHER_MR = [
    "{phone} varun WhatsApp var job offer aali, YouTube like kara ani {amt} kamva. Nantar {amt2} ghetle. Scam aahe.",
    "{courier} parcel madhe drugs aahet mhanun {phone} varun call aala, nantar video call var digital arrest kela.",
    "Light bill cha fake msg {phone} varun, aaj ratri {time} la light kapli jail mhanto.",
    "OLX var army officer mhanun {phone} ne QR scan karayla lavla, {amt} gele.",
    "{place} madhil {bank} ATM madhe 3 divas paise nahit.",
    "{bank} {place} shakhetil karmachari khup uddhat aahet, {n} taas thambavla.",
    "Dhanyavad {handle}, majhe {amt} parat milale. FIR {fir}.",
    "{place} madhe ratri ushira paryant DJ chalu aahe, police pathva.",
    "Majha mobile {place} station var chorila gela, IMEI {imei}.",
    "{rel} kal pasun ghari aale nahit, last location {place}. Tyancha number {phone}.",
    "Loan app wale {phone} varun shivya detat ani photos pathavtat. Mi loan ghetlach nahi.",
    "Trading group madhe {amt} guntavle, ata withdraw hot nahi. Admin {foreign}.",
]

TRAFFIC_MR = [
    "{veh} roj footpath var park aste {landmark} javal {place} madhe.",
    "{road} var {vehicle} {veh} ulat dishene yet hota, apghat hota hota vachla.",
    "{veh} ne {place} signal todla, traffic police baghat hote.",
    "Bike {veh} var tighe, helmet nahi, {place} madhe stunt.",
    "Rickshaw wala {veh} meter ne yayla nahi mhanto {place} station var, {fare} magto.",
    "{place} {road} var double parking, khup traffic. {veh} sakal pasun ubhi aahe.",
    "{place} signal band aahe, traffic police nahi, khup jam.",
    "Society gate bahar {veh} ani {veh2} park aahet, ambulance aat yeu shakli nahi.",
    "{veh} khup veg ani zig zag chalvat hota {road} var.",
]

BANK_FRAUD_HI += [
    "Sir ek call aaya tha, bola {bank} se hu, KYC pending hai, number note nahi kar paya. OTP maanga maine nahi diya. Sabko savdhan karo.",
    "{phone} wala khud ko {bank} ka officer bata raha hai aur bol raha hai account hold pe hai, {sapp} install karo. Fraud hai ye.",
    "Mere {card} se {amt} ka transaction hua, maine kisi ko OTP nahi diya sirf ek call aaya tha {phone} se reward points ke liye. Card ending {last4}.",
    "Bhai ye {upi} fraud ka UPI hai, {app} support bol ke paisa mangwaya. UTR {utr}. Freeze karo please.",
    "Papa ke phone pe msg aaya {bank} account block, link {url} pe KYC karo. Unhone click kiya aur {amt} gaye. Sender {masked} tha.",
    "kal raat {time} {phone} se call aaya, bola aapka {bank} debit card expire ho gaya hai naya bhejna hai, card number aur CVV batao. Maine mana kar diya. Is number pe action lo.",
    "{bank} ka fake customer care number Google pe hai {anyphone}, maine call kiya to {sapp} download karwaya aur mere account {acct} se {amt} nikal liye. Complaint no {ack}. Sir madad karo, meri saari savings thi.",
    "OTP share mat karna kisi ko. {phone} se {app} wale ban ke call karte hai KYC ke liye.",
    "Sim band karke paise nikale {bank} se. {amt}. Pehle {phone} se call aaya tha 5G upgrade ke liye.",
    "{phone} ne bola {amt} galti se aapke account me aa gaye, wapas karo {upi} pe. Check kiya kuch nahi aaya tha. Fraud.",
    "sir {bank} ka naam leke {phone} se call aa raha h baar baar, bol raha h pan card update karo warna a/c band",
    "{email} se mail aaya {bank} ke logo ke saath, credit card block hone wala hai bol ke {url} pe details maang rahe.",
    "Mummy ko {phone} se call karke bola pension account ka KYC karna hai, ATM PIN puchha aur {amt} nikal liye. Bahut pareshan hai.",
    "Fraud alert!! {phone} {bank} credit card limit badhane ka bolta hai",
    "{bank} manager ki awaaz me {phone} se call aaya, bola suspicious transaction hai, 'cancel' karne ke liye OTP batao. OTP dete hi {amt} kat gaye. UTR {utr}.",
    "YONO block hone ka SMS {phone} se, link {url}. Click mat karna koi.",
    "Maine {tollfree} pe call kiya socha {bank} ka toll free hai, unhone refund ke liye QR bheja aur {amt} kat gaye.",
    "Sir ye {phone} aur {phone2} dono fake {bank} wale hai, ek hi script bolte hai, account band ho jayega.",
    "Caller {phone} ne {rel} ko bola {bank} ka naya card activate karna hai, OTP {otp} le liya. {amt} gaye.",
    "{bank} ke naam pe fake apk bheja WhatsApp pe {phone} ne, install karte hi sab msg unke paas jaane lage aur {amt} nikal gaye.",
]

OTHER_HI += [
    "Mere phone pe msg aaya ki gaadi {veh} ka e-challan {amt} pending hai, link {ourl}. Ye fake hai kya? Number {phone}.",
    "Telegram pe task ka kaam diya, {amt} bharwaye aur ab block kar diya. UPI {upi}.",
    "Sir {phone} se call aaya bola aapka beta police custody me hai, {amt} bhejo. Beta ghar pe tha. Fake police wala tha.",
    "Loan app ka agent {phone} meri photo edit karke relatives ko bhej raha hai. Maine loan {date} ko chuka diya tha.",
    "Mera {bank} account freeze ho gaya cyber complaint ki wajah se, a/c no {acct}. Kaise unfreeze hoga sir?",
    "ATM me card phas gaya {place} {bank} me, branch wale bol rahe kal aao.",
    "UPI payment fail hua {amt} ka, paisa kat gaya, ref {utr}. {bank} 7 din bol raha hai. Fraud nahi hai bas help chahiye.",
    "Thank you {handle} aur cyber cell, mere {amt} refund ho gaye complaint {ack} ke baad. 🙏",
    "Meri bike {veh} chori ho gayi {place} se raat ko. FIR {fir}.",
    "{place} me {landmark} ke paas roz sharabi log hungama karte hai, raat {time} ke baad.",
    "Ghar ke bahar koi anjaan aadmi ghoom raha hai {place} me, please patrolling badhao.",
    "Passport verification ke liye {place} police station se koi nahi aaya, application {order}.",
    "Crypto app {ourl} pe {amt} lagaye, ab withdrawal ke liye tax bhar bol rahe. Agent {foreign}.",
    "Instagram pe fake profile bana ke meri behen ko pareshan kar rahe, number {phone} se bhi call.",
    "Bijli vibhag ka officer bol ke {phone} ne app download karwaya, consumer no {consumer}, phir {amt} kat gaye.",
    "Kal {place} me dukaan ka shutter tod ke chori hui. CCTV hai. Police abhi tak nahi aayi.",
    "Jio lucky draw me {amt} jeetne ka call {foreign} se, processing fee maang rahe.",
    "Ghar ka rent ke liye army wala bol ke {phone} ne pehle {fare} bhejne ko kaha verification ke liye.",
    "Sir mere dada ji {place} se lapata hai, umar {oldage}, unka number {phone}. Please help.",
    "{place} me raat bhar construction chal raha hai, so nahi paa rahe.",
    "Sextortion ka shikaar hua hu, {phone} video viral karne ki dhamki de raha, {amt} maang raha. Kya karu?",
    "Fake CBI officer ne video call pe 'digital arrest' kiya {n} ghante tak, {amt} transfer karwaye a/c {acct} me.",
    "Cheque bounce hua {bank} ki galti se, charges bhi kaat liye. Koi sunta nahi branch me.",
    "Amazon ka parcel OTP {otp} delivery boy ne liya par parcel diya hi nahi. {order}.",
]

TRAFFIC_HI += [
    "Signal tod ke bhaag gaya {veh}, {place} me {time}. CCTV check karo.",
    "{place} station ke bahar auto wale line laga ke road block karte hai, {veh} sabse aage.",
    "Bina helmet 2 ladke {veh} pe {road} pe 100 ki speed me. Kuch karo.",
    "Truck {veh} no entry time me {place} me ghus gaya aur jam laga diya.",
    "{road} pe galat side se bike aati hai roz, aaj {veh} ne takkar maar di.",
    "Cab {veh} wale ne {fare} extra maange aur AC band rakha.",
    "Humari gali me {veh} 3 din se khadi hai, lagti hai chori ki gaadi hai. {place}.",
    "Modified silencer wali bullet {veh} raat ko {place} me pataakhe phodti hai.",
    "{place} flyover pe traffic jam 2 ghante se, koi traffic police nahi dikh raha.",
    "School van {veh} me bacche thoos ke bhare hai aur driver phone pe.",
    "Auto wala {veh} meter nahi dala, {fare} liye {place} se station tak.",
    "{veh} footpath pe chadh ke chal rahi thi bike {landmark} ke paas.",
    "Road pe hi gaadi repair ho rahi hai {road} {place}, {veh} aur baaki, rasta band.",
    "Traffic police wale dekh rahe the aur {veh} wrong side nikal gaya {place} me.",
    "{vehicle} {veh} ne {place} me ek aadmi ko thok diya aur bhaag gaya, {time}.",
]

BANK_FRAUD_MR += [
    "Ek call aala, {bank} madhun boltoy mhanala, KYC baki aahe, OTP sanga. Number note kela nahi. Sarvanna savdhan kara.",
    "{phone} ha swatala {bank} adhikari mhanto ani {sapp} install karayla sangto. Fraud aahe.",
    "Majhya {card} varun {amt} cha vyavahar zala, {phone} varun reward points sathi call aala hota. Card ending {last4}.",
    "{upi} ha fraud UPI aahe, {app} support mhanun paise magitle. UTR {utr}.",
    "Babanna {bank} account block cha SMS aala, link {url}, click kela ani {amt} gele.",
    "{bank} cha bogus customer care number Google var {anyphone}, call kela tar {sapp} ghalayla lavla ani {amt} kadhle. Takrar kramank {ack}.",
    "{phone} ne sangitla {amt} chukun tumchya account la aale, {upi} var parat kara. Kahi aala navhta.",
    "Sim band zala ani {bank} madhun {amt} gele. Adhi {phone} varun 5G upgrade sathi call aala hota.",
    "{phone} {bank} credit card limit vadhvto mhanto, fraud aahe",
    "Aai la {phone} varun call, pension KYC karaycha mhanun ATM PIN vicharla ani {amt} kadhle.",
    "{email} varun {bank} sarkha mail aala, card block hoil mhanun {url} var mahiti magtat.",
    "Sir {bank} chya navane {phone} ani {phone2} varun roj call yetat, PAN update kara nahitar account band.",
]

OTHER_MR += [
    "Gaadi {veh} cha e-challan {amt} baki aahe asa SMS aala, link {ourl}. Fake aahe ka? Number {phone}.",
    "Telegram var task deun {amt} bharayla lavle ani block kela. UPI {upi}.",
    "{phone} varun call aala, tumcha mulga police custody madhe aahe, {amt} pathva. Fake police hota.",
    "Majha {bank} account freeze zala cyber complaint mule, a/c no {acct}. Kasa unfreeze karaycha?",
    "UPI payment {amt} fail zala pan paise katle, ref {utr}. Bank 7 divas mhanto.",
    "Dhanyavad cyber cell, takrar {ack} nantar majhe {amt} parat aale 🙏",
    "Majhi bike {veh} {place} madhun chorila geli. FIR {fir}.",
    "{place} madhe ratri daru pinare gondhal ghaltat, gasti vadhva.",
    "Crypto app {ourl} var {amt} guntavle, ata withdrawal sathi tax mhanun paise magtat.",
    "Bijli bill officer mhanun {phone} ne app download karayla lavla, consumer no {consumer}, {amt} gele.",
    "Sir majhe ajoba {place} madhun haravle, vay {oldage}, tyancha number {phone}.",
    "Sextortion: {phone} video viral karnyachi dhamki deto ani {amt} magto.",
    "ATM madhe card adakla {place} {bank} la, branch udya ya mhante.",
    "Passport verification sathi {place} police station madhun kuni aala nahi, application {order}.",
]

TRAFFIC_MR += [
    "Signal todun palala {veh}, {place} madhe {time} la. CCTV tapasa.",
    "Helmet nasta don mula {veh} var {road} var khup vegat.",
    "Truck {veh} no entry velet {place} madhe ghusla ani jam kela.",
    "{road} var ulat dishene bike yetat roj, aaj {veh} ne dhadak dili.",
    "Amchya galli madhe {veh} 3 divas pasun ubhi aahe, {place}.",
    "Rickshaw {veh} ne meter takla nahi, {fare} ghetle {place} te station.",
    "{place} flyover var 2 taas traffic jam, traffic police nahi.",
    "Modified silencer bullet {veh} ratri {place} madhe awaj karte.",
    "School van {veh} madhe mula bharun ani driver phone var.",
    "{vehicle} {veh} ne {place} madhe eka mansala udavla ani palun gela.",
]

BANK_FRAUD_HI += [
    "Kya ye {bank} ka genuine number hai {phone}? Bol rahe the {amt} ka transaction rokna hai, OTP batao.",
    "'Sir aapka account 2 ghante me block ho jayega' ye bola {phone} ne, {bank} ke naam pe. Mummy ne OTP bata diya.",
    "{bank} kyc fraud {phone}",
    "Card block wala call fir se aaya {phone} se, is baar {card} team bol rahe the.",
    "Mere padosi uncle 70 saal ke hai, {phone} ne {bank} wala ban ke unka ATM PIN le liya. {amt} chale gaye.",
    "Ye site {url} bilkul {bank} netbanking jaisi hai, link {phone} se aaya. Mera {amt} gaya a/c {acct} se.",
    "Sir fake {app} customer care {anyphone}, refund ke liye {sapp} install karwaya, phir {amt} gaye. Ack {ack}.",
    "Dost ke papa ko {phone} se call aaya ki {bank} ka naya credit card lifetime free milega, bas OTP batao. Batate hi {amt} ka shopping ho gaya.",
    "OTP mat dena bhai log, {phone} {bank} ka banda ban ke fraud kar raha. Mere saath try kiya.",
    "Sir ek aadmi Hindi me baat kar raha tha, {phone} se, bola {bank} ne aapka ATM card block kar diya hai KYC ke wajah se, 16 digit card number aur CVV batao. Maine nahi bataya par mere chacha ka pichle mahine {amt} gaya tha isi tarah. Kuch kijiye.",
    "{phone} pe call karke bol raha {bank} se hu, FD renew karni hai OTP do. Bank ne kaha unhone koi call nahi kiya.",
    "Fraud hua hai, {app} pe collect request {upi} se aayi thi refund bol ke. {amt} kate. Caller {phone}.",
    "Bank wala bol ke {phone} ne card pe loan ka bola, cancel ke liye OTP, phir paise gaye",
    "{bank} rewards ka SMS: '{n}000 points expire ho rahe hai, redeem karo {url}'. Sender {masked}.",
    "Google pe {bank} helpline search kiya, {tollfree} mila, unhone {sapp} install karwaya aur {amt} chale gaye. Ye number hatwao.",
]

OTHER_HI += [
    "Kya ye call sahi hai? {phone} bol raha hai {courier} parcel customs me pakda gaya, {amt} bharo.",
    "Papa ne WhatsApp stock tips group me {amt} gawaaye. Admin {phone} aur {foreign}.",
    "Video call ke baad {phone} blackmail kar raha hai, {amt} maang raha.",
    "TRAI wala call {phone} se, 'aapke saare number 2 ghante me band honge, 9 dabaye'.",
    "Hotel review part time job ke naam pe {phone} ne {amt} le liye, UPI {upi}.",
    "{place} me sunaar ki gold scheme wala raaton raat bhaag gaya, bahut logo ka paisa gaya.",
    "Thank you {handle}, fraud transaction ka {amt} hold ho gaya aur wapas mil gaya. FIR {fir}.",
    "{bank} ne salary account pe {samt} minimum balance penalty kaat liya. Ye sahi hai kya?",
    "Home loan EMI do baar kat gayi {bank} se, UTR {utr}. Branch 10 din se jawab nahi de rahi.",
    "Meri car {veh} ka sheesha raat ko tod diya {place} me. FIR karni hai.",
    "Society ke watchman ko {place} me sharabiyon ne maara {time}.",
    "{place} me mandir ka loudspeaker raat {time} tak, bacchon ke exam hai.",
    "Mera passport kho gaya {place} station pe {date} ko. Report kaise kare?",
    "Sir society function ke liye police permission chahiye kya? {place}, {date}.",
    "Mere mobile ka status kya hai? IMEI {imei}, FIR {fir}.",
    "Fake bijli disconnection SMS: 'aaj raat {time} light kat jayegi, call karo {phone}'.",
]

TRAFFIC_HI += [
    "Footpath pe gaadi park karna legal hai kya? {veh} roz {place} me karta hai.",
    "Subah 8 baje {place} signal red tha aur {veh} nikal gaya. Traffic wala phone pe busy.",
    "Humari building ka gate {veh} ne is hafte 4th time block kiya {place} me.",
    "{road} pe wrong side normal ho gaya hai. Aaj {veh}, kal {veh2}.",
    "Share auto {veh} me 7 log aur tez speed {road} pe.",
    "Uber {veh} ne {place} sun ke cancel kar diya 20 min wait ke baad.",
    "Bus {veh} dusri bus se race laga rahi thi {road} pe, log dare hue the.",
    "{place} school gate pe subah 7 se 9 traffic police chahiye, gaadiyaan kahin bhi khadi.",
    "Truck kharab khada hai {road} pe {veh}, koi police nahi, lamba jam.",
    "{vehicle} {veh} ne galat U-turn liya {place} me aur 3 gaadi takra gayi.",
]

BANK_FRAUD_MR += [
    "Ha {bank} cha khara number aahe ka {phone}? {amt} cha vyavahar thambvaycha mhanun OTP magitla.",
    "{bank} kyc fraud {phone}",
    "Shejarche kaka 70 varshanche, {phone} ne {bank} adhikari mhanun ATM PIN ghetla. {amt} gele.",
    "Hi site {url} agdi {bank} netbanking sarkhi aahe, link {phone} varun aali. {amt} gele a/c {acct} madhun.",
    "OTP deu naka, {phone} {bank} cha manus mhanun fraud karto. Majhyasobat try kela.",
    "Google var {bank} helpline shodhli, {tollfree} milala, {sapp} install karayla lavla ani {amt} gele.",
    "{app} var {upi} kadun collect request aali refund mhanun. {amt} katle. Caller {phone}.",
    "Card block cha call parat aala {phone} varun, ya veli {card} team mhanat hote.",
]

OTHER_MR += [
    "Ha call khara aahe ka? {phone} mhanto {courier} parcel customs madhe pakadla, {amt} bhara.",
    "Babanni WhatsApp stock tips group madhe {amt} gamavle. Admin {phone}.",
    "Video call nantar {phone} blackmail karto, {amt} magto.",
    "TRAI cha call {phone} varun, 'tumche sagle number 2 tasat band hotil'.",
    "{place} madhil sonarachi gold scheme ratrit band, anek lokanche paise gele.",
    "Dhanyavad {handle}, fraud vyavaharatil {amt} hold zale ani parat milale.",
    "{bank} ne salary account var {samt} minimum balance dand kapla. He barobar aahe ka?",
    "Home loan EMI don vela katli {bank} kadun, UTR {utr}.",
    "Majhya car {veh} chi kach ratri fodli {place} madhe.",
    "{place} madhe mandiracha bhonga ratri {time} paryant, mulanchi pariksha aahe.",
    "Majha passport {place} station var {date} la haravla. Takrar kashi karu?",
    "Fake light bill SMS: 'aaj ratri {time} light kapli jail, call kara {phone}'.",
]

TRAFFIC_MR += [
    "Footpath var gaadi lavne kayde shir aahe ka? {veh} roj {place} madhe lavto.",
    "Sakali 8 la {place} signal lal hota ani {veh} nighun gela.",
    "Amchya building cha gate {veh} ne ya athavdyat chauthyanda adavla {place} madhe.",
    "{road} var ulat disha normal zali aahe. Aaj {veh}, kal {veh2}.",
    "Share rickshaw {veh} madhe 6 lok ani khup veg {road} var.",
    "{place} shalechya gate var sakali traffic police pahije, gadya kuthehi ubhya.",
    "Truck band padla {road} var {veh}, police nahi, motha jam.",
    "Bus {veh} dusrya bus sobat race lavat hoti {road} var.",
]

BANK_FRAUD_MR += [
    "{bank} adhikari mhanun konitari phone kela, KYC apurna aahe ani aaj account band hoil mhanala. Number {phone}. Mi kahi sangitla nahi.",
    "Majhe vadil senior citizen aahet. {date} la tyanna {phone} varun call aala. To mhanala {bank} head office madhun boltoy, pension account KYC nasalyamule band hoil. Tyane link {url} pathavli ani OTP vicharla. Nantar {amt} gele. Krupaya karvai kara.",
    "Caller mhanala mi {bank} credit card department madhun boltoy, limit vadhel, fakta OTP sanga. Card {mcard} var {amt} kharch zale.",
    "{phone} varun SMS: 'Dear customer tumche {bank} netbanking band zale aahe, update kara {url}'. He fake aahe.",
    "Bogus {bank} karmacharyane {sapp} app download karayla lavla, nantar a/c no {acct} madhun {amt} transfer zale. UTR {utr}.",
    "{bank} grahakanno savdhan! {phone} varun call karun debit card band hoil mhantat ani CVV magtat.",
    "Krupaya {upi} ani {phone} block kara, he {app} customer care mhanun paise ukaltat.",
    "Caller ID var {masked} disat hota, swatala {bank} cha sangat hota, OTP magitla.",
    "{phone} varun sarkhe call yetat, {bank} account block zala mhantat, Aadhaar {aadhaar} ani OTP dya mhantat.",
    "Bhau lok OTP kunalach deu naka, {phone} ha {bank} cha fake manus aahe.",
    "Majha {app} wallet KYC expire zala mhanun {phone} ne call kela ani {sapp} install karayla sangitla. {amt} gele.",
]

OTHER_MR += [
    "{phone} varun call karun mhanala mi {agency} madhun boltoy, tumchya Aadhaar varun money laundering zala aahe, {amt} bhara nahitar atak.",
    "WhatsApp var {phone} varun part time job cha msg aala, hotel review chya navakhali {amt} ukalale.",
    "Online gaming app madhe {amt} haralo, ata {phone} wale ajun paise magtat.",
    "{place} police station FIR ghet nahi, majha phone chorila gela aahe. IMEI {imei}.",
    "Shejari roj ratri {time} paryant motha awajat gani lavto, {place}.",
    "{bank} {place} shakhet passbook print machine mahinabhar band aahe.",
    "{bank} kade loan sathi 3 mahine pheri martoy, uttar nahi. A/c no {acct}.",
    "Pune police che aabhar, majha chorila gelela mobile parat milala.",
    "Majhi mulgi {kidage} varshanchi {place} madhun bepatta aahe, shevatchi {date} la disli. Sampark {phone}.",
    "Bhadekaru padtalni online kashi karaychi? {place} madhe ghar aahe.",
    "{foreign} varun WhatsApp video call yetat ani nantar dhamki detat.",
    "Light bill update chya navakhali {phone} varun msg aala, link {ourl}. Savdhan raha.",
    "Amchya society chya bahar ratri kahi lok daru pitat ani gondhal kartat, {place}.",
    "KBC lottery {amt} jinklyacha msg {phone} varun, GST {samt} bhara mhantat.",
]

TRAFFIC_MR += [
    "{place} madhe {road} var roj sandhyakali motha jam hoto karan dukandaranchya gadya rastyavar ubhya astat. {veh} sarkhya gadyanvar karvai kara.",
    "{place} cha signal 2 divas band aahe, ekhi police nahi.",
    "{veh} chalak daru piun gaadi chalvat hota, {road} var aneka janana dhadak deta deta vachla.",
    "Number plate nasleli bike var 2 mula {place} madhe roj stunt kartat.",
    "Ambulance {place} chowkat 15 minute adakli, ulat dishechya gadyanmule.",
    "Car {veh} ne majhya bike la magun dhadak dili ani palun gela, {road}, {time}.",
    "{place} madhe shalebahar roj double parking, mulanna tras.",
    "Pressure horn wala truck {veh} {place} madhe ratrabhar horn vajavto.",
    "Taxi {veh} meter ne chalat nahi, {place} station var manmani bhade.",
    "Wrong side driving {veh} {road} var, krupaya karvai kara",
    "Triple seat ani helmet nahi {veh}, {place} signal var, rojche zale aahe.",
    "{veh} ne zebra crossing var gaadi ubhi keli, lokanna rasta olandta yet nahi.",
]

TRAFFIC_HI += [
    "Wrong side wala {veh} {place} me mujhe hi dhamka raha tha jab maine bola peeche jao. Video hai, mera number {phone}.",
    "Auto wale {veh} ne mummy se {fare} le liye {place} se. Uska number {phone} hai, khud diya tha. Action lo.",
    "{place} junction pe peak time me koi traffic police nahi hota aur sab signal todte hai. Aaj {veh} ne school ke bacche ko lagbhag thok diya tha. Subah constable lagao please.",
    "{road} pe {place} ke paas {time} se BEST bus kharab khadi hai, jam laga hai, koi police nahi.",
    "RTO check karo {veh}: fancy number plate, kaala sheesha, footpath pe parking {place} me.",
]

OTHER_HI += [
    "Train me {place} ke paas mera bag chori ho gaya, PNR {pnr}. FIR {fir}.",
    "Auto me phone chhut gaya {place} station se, IMEI {imei}, mera dusra number {phone}.",
    "Meri behen ko {phone} se ek hafte se gande call aa rahe hai. Please help.",
    "{place} me jagah jagah 'work from home' ke fake poster lage hai, number {phone}.",
    "Makaan malik {place} me {amt} deposit wapas nahi kar raha, dhamki de raha.",
    "Online shopping site {ourl} ne phone ke {amt} le liye, delivery nahi hui. Customer care {phone} band.",
    "{bank} netbanking subah se band hai, salary day hai, rent nahi bhar pa raha.",
    "Cyber cell ne case {ack} me recover hua paisa lene bulaya. Thank you team!",
]

TRAFFIC_MR += [
    "Ulat dishene yenara {veh} {place} madhe mala dhamki det hota. Video aahe, majha number {phone}.",
    "Rickshaw {veh} ne aai kadun {fare} ghetle {place} pasun. Tyacha number {phone}.",
    "{road} var {place} javal {time} pasun bus band padli aahe, jam, police nahi.",
]

OTHER_MR += [
    "Train madhe {place} javal majhi bag chorili geli, PNR {pnr}. FIR {fir}.",
    "Rickshaw madhe phone rahila {place} station pasun, IMEI {imei}, dusra number {phone}.",
    "Majhya bahinila {phone} varun athavdyabhar ashlil call yetat.",
    "Online shopping site {ourl} ne phone che {amt} ghetle, delivery nahi.",
]

BANK_FRAUD_HI += [
    "Vishing call {phone} se: 're-KYC pending hai, aaj raat {bank} mobile banking band'. MPIN maang raha tha.",
    "Fake SMS: '{bank}: aapka debit card restrict ho gaya, verify karo {url}'. Sender {masked}.",
    "{phone} ne UPI PIN maanga bola {app} cashback receive karne ke liye chahiye. {amt} kat gaye.",
    "{phone} se call, bola Aadhaar {bank} account se seed nahi hai, subsidy band ho jayegi. Remote app ka link bheja.",
    "WhatsApp pe QR bheja bola scan karo {app} refund milega. Number {phone}. Paisa aaya nahi, gaya {amt}.",
    "{bank} ka fake WhatsApp account {phone} logo laga ke KYC form bhej raha hai card details ke liye.",
    "Papa ko 3 OTP aaye phir {phone} se call aaya {bank} ke naam se, bola cancel karne ke liye OTP batao. Shukar hai nahi bataya.",
    "Account khaali ho gaya {amt}. {phone} ne {bank} wala ban ke {sapp} install karwaya verification ke liye.",
    "MPIN maanga fake {app} support {phone} ne. Bacho.",
    "International transaction ka call aaya {foreign} se, bola {card} pe {amt} charge hua, block ke liye 1 dabao, phir OTP maanga.",
]

TRAFFIC_HI += [
    "Left se overtake aur lane cutting {veh} {road} pe, accident hote hote bacha.",
    "Kaala sheesha aur fancy number plate {veh}, {place} signal pe dekha.",
    "Seat belt nahi, phone pe baat, tez speed — {veh} {road} pe {time}.",
    "One way me roz bike ghusti hai {place} me. Aaj {veh}.",
    "Towing wale {place} me challan ki jagah cash le rahe, {veh} utha ke {fare} me chhod di.",
    "Har Sunday subah {road} pe bike racing, {veh} aur {veh2} bhi the.",
    "Bus stop pe car park {place} me, bus beech road pe ruk rahi. {veh}.",
    "{veh} red light jump {place} {time}. E-challan bhejo.",
]

OTHER_HI += [
    "Airline ka fake customer care {phone}, refund processing fee {samt} maangi. Scam.",
    "Bete ne online game me {amt} haare, ab {upi} pe aur paise maang rahe.",
    "{place} ke travel agent ne umrah package ke {amt} liye aur gayab. Number {phone}.",
    "Cab {veh} me bag chhut gaya, {place}. Wapas dilwa do please.",
    "{place} me is hafte 2 bike chori, patrolling badhao.",
    "Bijli board wala bol ke ek aadmi ghar aaya meter check karne aur paise maange. {place}.",
]

BANK_FRAUD_MR += [
    "Vishing call {phone} varun: 're-KYC baki, aaj ratri {bank} mobile banking band'. MPIN magitla.",
    "Fake SMS: '{bank}: tumche debit card restrict zale, verify kara {url}'. Pathavnara {masked}.",
    "{phone} ne UPI PIN magitla, {app} cashback milnar mhanun. {amt} gele.",
    "WhatsApp var QR pathavla, scan kara {app} refund milel mhanala. Number {phone}. {amt} gele.",
    "Babanna 3 OTP aale ani mag {phone} varun {bank} chya navane call, cancel karayla OTP sanga mhanala.",
    "{bank} cha fake WhatsApp account {phone} logo lavun KYC form pathavto.",
]

TRAFFIC_MR += [
    "Davikadun overtake ani lane cutting {veh} {road} var.",
    "Kala kach ani fancy number plate {veh}, {place} signal var.",
    "Seat belt nahi, phone var bolat, khup veg — {veh} {road} var {time}.",
    "One way madhe roj bike ghustat {place} madhe. Aaj {veh}.",
    "Towing wale {place} madhe challan aivaji cash ghetat, {veh} uchlun {fare} madhe sodli.",
    "{veh} red signal todla {place} {time}. E-challan pathva.",
]

OTHER_MR += [
    "Mulane online game madhe {amt} haravle, ata {upi} var ajun paise magtat.",
    "Cab {veh} madhe bag rahili, {place}. Parat milvun dya.",
    "{place} madhe ya athavdyat 2 bike chorya, gasti vadhva.",
    "Travel agent ne {place} madhe {amt} ghetle ani gayab. Number {phone}.",
]

BANK_FRAUD_HI += [
    "Mere ko bhi {phone} se call aaya tha kal, wahi {bank} KYC wali kahani.",
    "Same call mujhe bhi aaya {phone} se, bola {bank} card block. Ye number band karo.",
    "{phone} abhi bhi chalu hai aur logo ko {bank} ke naam pe call kar raha hai. Pichle hafte complaint ki thi.",
    "Kya {bank} call pe OTP maangta hai? {phone} wala bol raha tha KYC ke liye zaroori hai.",
    "Retired teacher hu, {bank} me meri jama punji {amt} chali gayi {phone} ke call ke baad. Usko meri saari details pata thi. Madad karo.",
    "Ek aur {app} refund fraud: {phone}, {upi}.",
]

OTHER_HI += [
    "Mujhe bhi {phone} se call aaya tha parcel me drugs wali kahani, digital arrest gang hai ye.",
    "Ye job scam wala number {phone} abhi bhi chalu hai, dost se {amt} le liye.",
    "Fraudster se paisa wapas kaise milega? {place} thana bolta cyber cell jao, cyber cell bolta thane jao.",
    "Cyber cell please complaint {ack} ka update do, investment scam me paisa gaya.",
    "{place} ke paas ek vardi wale ne roka aur {fare} maange, asli police hai kya?",
]

TRAFFIC_HI += [
    "Wahi jagah wahi problem: {veh} aaj fir footpath pe {place} me.",
    "Sahi baat, {place} me wrong side wale pareshan karte hai. {veh} ne mere bacche ko lagbhag thok diya.",
    "{veh} ab bhi road pe kaise chal rahi? {place} me fir signal toda, pichle hafte bhi complaint ki thi.",
]

BANK_FRAUD_MR += [
    "Mala pan kal {phone} varun call aala hota, tich {bank} KYC chi goshta.",
    "{phone} ajun chalu aahe ani {bank} chya navane lokanna call karto. Magchya athavdyat takrar keli hoti.",
    "{bank} call var OTP magte ka? {phone} wala mhanat hota KYC sathi garajecha aahe.",
]

OTHER_MR += [
    "Mala pan {phone} varun parcel madhe drugs chi goshta sangnara call aala, digital arrest toli aahe.",
    "Fraudster kadun paise parat kase milnar? {place} police station mhanta cyber cell la ja.",
]

TRAFFIC_MR += [
    "Tich jaga tich samasya: {veh} aaj parat footpath var {place} madhe.",
    "{veh} ajun rastyavar kasa? {place} madhe parat signal todla.",
]

BANK_FRAUD_HI += [
    "Fraud number: {phone} / {phone2}. Dono {bank} KYC desk bolte hai.",
    "Fake {bank} officer {phone} ke kehne pe A/C No.: {acct} (IFSC {ifsc}) me paise bheje. {amt} gaye.",
    "Fraudster ka account no. {acct}, UPI {upi}, mobile {phone}. {bank} card services bol raha tha.",
]

TRAFFIC_HI += [
    "{veh} ke driver ne gaali di jab footpath se gaadi hatane bola {place} me.",
    "Roz ke wrong side wale ({road}): {veh}, {veh2}.",
]

OTHER_HI += [
    "Job fraud ke number: {phone} / {phone2}, Telegram group ke admin. {amt} gaye.",
    "Mera salary account no. {acct} {bank} me bina bataye freeze, branch ke paas jawab nahi.",
]

BANK_FRAUD_HI += [
    "{smsid} se SMS aaya: '{bank} account aaj block ho jayega, PAN update karo {url}'. Header asli lagta hai par link fake hai.",
    "{smsid} ka msg, reward points {amt} ke expire, {url} pe redeem karo. Phir {phone} se call aaya help ke naam pe.",
]

BANK_FRAUD_MR += [
    "{smsid} kadun SMS aala: '{bank} account aaj block hoil, PAN update kara {url}'. Link fake aahe.",
]

BANK_FRAUD_HI += [
    "{phone} ne bola aapka {bank} account RBI audit me hai, verify ke liye OTP do. Bank ne bola aisa kuch nahi.",
    "Fake {bank} pre-approved loan: {phone} ne {amt} ka loan offer kiya, processing fee {samt} {upi} pe mangwayi aur phone band.",
    "{phone} bola naya RuPay card courier ho raha hai, delivery ke liye OTP batao. Savings se {amt} gaye.",
    "Reward points ko cash me badalne ka bol ke {phone} ne OTP liya, {card} pe {amt} charge.",
    "UPI reversal ke naam pe {phone} ne PIN dalwaya, {app} support bol raha tha. {amt} gaye.",
    "Sir {phone} ko mera PAN aur DOB pata tha, bola {bank} account freeze hoga, {url} se 'Bank Support' app dalwaya. {amt} gaye.",
    "{bank} card platinum upgrade ke naam pe {phone} se call aa rahe, OTP le rahe. Savdhan.",
    "4 transaction me {amt} kat gaye {bank} se, {phone} ko OTP bataya tha jo khud ko bank security team bata raha tha.",
]

TRAFFIC_HI += [
    "{road} pe dono taraf gaadiyaan khadi, ambulance phas gayi {place} me. {veh} bhi thi.",
    "Metro kaam ke diversion pe {place} me koi board nahi, sab wrong side, {veh} takraate takraate bacha.",
    "BEST bus {veh} ne {place} signal tod diya passengers ke saath.",
    "Highway pe tempo {veh} reverse chal raha {place} ke paas, bahut khatarnak.",
    "No parking board ke neeche hi {veh} aur {veh2} khadi hai {place} me.",
]

OTHER_HI += [
    "Koi meri beti ki photo pe gandi comments daal raha, uska account is number se linked hai {phone}.",
    "{place} me bacha chori gang ki fake news WhatsApp pe ghoom rahi, clarify karo.",
    "Building me roz raat chillane ki awaaz, gharelu hinsa lagta hai, {place}. Koi bhejo.",
    "Property agent ne {place} me ek flat 3 logo ko becha, hamse {amt} liye. Number {phone}.",
    "Facebook pe army canteen wala TV ke liye {amt} advance {upi} pe maang raha.",
    "{place} station ke paas ek buzurg mile, ghar ka pata yaad nahi. Parivaar dhoondhne me madad karo.",
]

BANK_FRAUD_MR += [
    "{phone} mhanala tumche {bank} account RBI audit madhe aahe, OTP dya. Bank mhanali asa kahi nahi.",
    "Fake {bank} pre-approved loan: {phone} ne {amt} loan offer kela, processing fee {samt} {upi} var magitli.",
    "UPI reversal chya navakhali {phone} ne PIN takayla lavla, {app} support mhanat hota. {amt} gele.",
]

TRAFFIC_MR += [
    "{road} var donhi bajula gadya, ambulance adakli {place} madhe. {veh} pan hoti.",
    "BEST bus {veh} ne {place} signal todla pravashansah.",
    "No parking board chya khalich {veh} ani {veh2} ubhya {place} madhe.",
]

OTHER_MR += [
    "Konitari majhya mulichya photo var ghanerdya comments takto, tyacha account ya number la linked aahe {phone}.",
    "{place} madhe mule palavnarya tolichi fake news WhatsApp var, spashtikaran dya.",
    "Property agent ne {place} madhe ek flat 3 lokanna vikla, amchyakadun {amt} ghetle. Number {phone}.",
]

BANK_FRAUD_MR += [
    "Navin RuPay card pathavtoy, delivery sathi OTP sanga asa {phone} mhanala. Bachatitun {amt} gele.",
    "Reward points che paise karun deto mhanun {phone} ne OTP ghetla, {card} var {amt} kharch.",
    "Aai cha pension account {bank} madhe aahe. {phone} varun call aala ki pension band hoil, KYC sathi ATM PIN sanga. Tine sangitla ani {amt} gele. Lavkar karvai kara.",
    "1930 var takrar keli aahe, {phone} ne {bank} chya navane {amt} fasavle. Takrar kramank {ack}.",
    "{bank} credit card band karaycha asel tar OTP sanga mhanala {phone}, ani {amt} katle.",
    "Khota {bank} customer care: {tollfree}. Google var disto, {sapp} download karayla lavtat.",
    "Msg aala 'tumche {bank} card block zale aahe, lagech call kara {anyphone}'. Call kelyavar CVV magitla.",
    "{phone} {bank} KYC update sathi phone karto, aadhich khup lokanchi fasavnuk keli. Number band kara.",
]

OTHER_MR += [
    "{phone} varun call aala, tumchya mulala apghat zala, hospital sathi {amt} pathva. Khota call hota.",
    "Gharkam karnarya baine gharatun dagine chorle, {place}. FIR {fir}.",
    "{place} madhe mangalsutra hiskavle {time}. Doghe bike var hote.",
    "Instagram var majhya navane bogus account, mitranna {upi} var paise magtat.",
    "{place} madhe roj ratri gadyanchya kacha fodtat, gasti vadhva.",
    "Dhanyavad police, majhi haravleli bag {place} station var parat milali.",
    "Online task job madhe {amt} gele, Telegram group admin {foreign}.",
    "Majhi scooty {veh} {place} madhun chorila geli, CCTV madhe disat aahe.",
]

TRAFFIC_MR += [
    "{place} signal var hornacha gongat, {veh} tar thambatach nahi.",
    "{road} var khadde ani tyat ulat dishene yenari vahane, {veh} roj.",
    "PMP bus {veh} ne {place} madhe thambyavar na thambta vegat bus palavli.",
    "{place} shalejaval speed breaker nahi ani {veh} sarkhya gadya bhardhav.",
    "Overload dumper {veh} {road} var, valu rastyavar sandte.",
    "Mobile var bolat gaadi chalvat hota {veh}, {road} var, {time}.",
]

BANK_FRAUD_HI += [
    "Bhai ye {bank} KYC wale scammer fir aa gaye. {phone}. Call mat uthana",
    "Kisi aur ko bhi {phone} se call aa raha? Bolta hai {bank} se hu aur mera account number bhi pata tha. Dar lag raha hai.",
    "Pls RT. {bank} KYC scam number {phone} aur link {url}. Meri mausi ke {amt} gaye.",
    "IVR call aaya {phone} se: 'aapka {bank} credit card block hai, 1 dabaiye'. Executive ne CVV manga.",
    "Sir urgent, {phone} fraud hai, {bank} officer ban ke 70 saal ke papa se OTP le liya. {amt} kat gaye. {upi} freeze karo.",
    "Usne bola 'sir {bank} head office se bol raha hu, 24 ghante me ATM block ho jayega, card number confirm karo'. Number {phone}.",
    "{anyphone} pe '{bank} helpline' bol ke uthaya, card chalu karne ke {samt} {upi} pe mangwaye, phir {amt} nikal liye.",
    "Meri galti thi, {phone} ko bank samajh ke OTP bata diya. {amt} gaye. Par inko pakdo please.",
]

TRAFFIC_HI += [
    "{place} ka signal sirf dikhawe ka hai, sab todte hai. {veh} ne {time} toda police ke saamne",
    "Koi aur bhi {place} me phasa hai? {road} parking lot ban gaya, traffic police nahi.",
    "Pls RT. {road} pe {place} ke paas wrong side se koi marega. Aaj {veh}.",
    "Truck {veh} {road} ke beech me kharab, {place} tak jam.",
    "Auto wale {veh} ne {place} station pe mummy se badtameezi ki aur meter se mana kiya.",
    "Bike {veh} raat ko {road} pe stunt, peeche number plate nahi.",
]

OTHER_HI += [
    "Bhai ye digital arrest wale pagal hai, {phone} ne chacha ko {n} ghante video call pe rakha.",
    "Kisi aur ko bhi 'parcel me drugs' wala call {phone} se aaya? Report kar raha hu.",
    "Pls RT. Lapata: {name}, {age} saal, {place} se {date} se. Sampark {phone}.",
    "{foreign} se call aaya iPhone jeeta hai, bas {samt} delivery charge do. Lol.",
    "FIR {fir} ki copy online kaise milegi koi batao.",
    "{place} ke beat marshal ka shukriya, raat ko gaadi kharab hui to madad ki.",
    "Instagram pe fake concert ticket bech rahe, {samt} {upi} pe liye aur block kar diya.",
    "Thanks {handle} aur {bank}, fraudster ka account jaldi freeze kiya, mere {amt} bach gaye.",
]

TRAFFIC_HI += [
    "{bank} branch {place} ke customer subah main road pe gaadi lagate hai, {veh} bus lane block kar rahi.",
    "{bank} ATM ke saamne {road} pe bike park, road ek lane ka reh gaya. Tow karo {veh}.",
    "{company} ke delivery boys {place} me road pe khade rehte hai, traffic jam, {veh} bhi.",
]

TRAFFIC_MR += [
    "{bank} shakhe samor {place} madhe grahak rastyavar gadya lavtat, {veh} bus lane adavte.",
]

BANK_FRAUD_HI += [
    "{phone} se call aaya, bola bank se bol raha hu, aaj KYC nahi kiya to account block. OTP manga.",
    "Bank wala ban ke kisi ne {rel} se ATM PIN le liya, {amt} nikal gaye. Number {phone}.",
    "Bank KYC fraud {phone}, bolta hai debit card aaj raat band ho jayega, CVV batao.",
    "Papa ko SMS aaya bank account suspend ho gaya, link {url}. Netbanking details daal di aur {amt} gaye.",
    "Fake bank officer ne {anyphone} se call karke {sapp} install karwaya mobile banking 'theek' karne ke liye. Sab saaf.",
    "Credit card department se hu bol ke card number aur CVV manga limit upgrade ke liye. {phone}",
    "Link {url} aaya ki netbanking lock ho gayi hai, OTP se verify karo. Sender {masked}.",
]

BANK_FRAUD_MR += [
    "{phone} varun call aala, bank madhun boltoy mhanala, aaj KYC kela nahi tar account block. OTP magitla.",
    "Bank cha manus mhanun konitari {rel} kadun ATM PIN ghetla, {amt} gele. Number {phone}.",
    "Babanna SMS aala bank account suspend zala, link {url}. Netbanking mahiti takli ani {amt} gele.",
    "Bank KYC fraud {phone}, debit card aaj ratri band hoil mhanto, CVV vicharto.",
]

OTHER_HI += [
    "{place} me raat ko avaidh nirmaan chal raha, machine ki awaaz, koi sunta nahi.",
    "{landmark} ke paas {place} me roz kachra jalate hai, dhuaan hi dhuaan.",
    "Fake loan recovery wale ghar aaye {place} me aur mummy papa ko dhamkaya. Humara koi loan nahi.",
    "Humara kutta ghar ke bahar se chori ho gaya {place} me, CCTV me safed van dikh rahi.",
    "{place} me tanker mafia {samt} per tanker le raha aur dhamki de raha.",
    "{landmark} ke paas do group lathi se lad rahe hai {place} me. Jaldi police bhejo!",
    "Ek account {handle} ban ke {upi} pe challan bharne ko bol raha, verify karo.",
    "Dukaandar {place} me school ke baccho ko gutkha bech raha khulleaam.",
    "Meri wife ko koi naye naye account bana ke message kar raha, latest {phone} se.",
]

OTHER_MR += [
    "{place} madhe ratri avaidh bandhkam chalu, machine cha awaj.",
    "{landmark} javal {place} madhe roj kachra jaltat, dhur.",
    "Khote loan recovery wale ghari aale {place} madhe ani aai babanna dhamkavla. Amche kahi loan nahi.",
    "{landmark} javal don gat kathine bhandat aahet {place} madhe. Lavkar police pathva!",
    "Dukandar {place} madhe shalechya mulanna gutkha vikto.",
]

BANK_FRAUD_HI += [
    "Sir mera {card} band karwane ke naam pe {phone} ne OTP liya aur ulta {amt} ka transaction kar diya.",
    "Yeh log bahut shatir hai, {phone} se call karte hai, background me bank jaisi awaaz, bolte hai KYC ke liye video call karo, phir {sapp} dalwate hai.",
    "{bank} ka naam leke {email} se mail aaya, 'aapka account 24 ghante me suspend', link {url}. Phishing.",
    "Mummy ne {phone} pe debit card ki photo bhej di, bank wala bol raha tha. {amt} nikal gaye. Card ending {last4}.",
    "Refund ke liye Google se {app} helpline {anyphone} mili, usne remote app install karwaya aur {amt} kaat liye. UTR {utr}.",
    "Credit card pe annual fee {samt} hatane ke naam pe {phone} ne OTP maanga. Fraud hai ye log.",
    "Mere papa ko {phone} se bola gaya ki unka pension account band ho jayega, Aadhaar {aadhaar} aur OTP le liya.",
    "{phone} {bank} ke naam se KYC fraud kar raha, aaj 3 baar call aaya. Kab band hoga ye number?",
]

OTHER_HI += [
    "{phone} se call aaya bola aapke bete ka accident hua, hospital me {amt} jama karo. Jhootha call tha.",
    "Kaamwali bai ne ghar se gehne chura liye, {place}. FIR {fir}.",
    "{place} me raat ko gaadiyon ke sheeshe tod rahe hai, patrolling badhao.",
    "Police ka shukriya, mera khoya bag {place} station pe wapas mil gaya.",
    "Online task job me {amt} gaye, Telegram group admin {foreign}.",
    "Meri scooty {veh} {place} se chori ho gayi, CCTV me dikh raha hai.",
    "Ek aadmi khud ko crime branch officer bata ke {phone} se dhamki de raha, {amt} maang raha.",
    "{bank} ka locker toota mila, bank zimmedari nahi le raha. {place} branch.",
]

TRAFFIC_HI += [
    "{place} chowk pe shaam ko traffic police gayab, sab signal todte hai, aaj {veh}.",
    "Bus stop pe car khadi, bus beech road pe rukti hai {place} me. {veh}.",
    "Hospital zone me {veh} lagatar horn baja raha, {place}.",
    "{road} pe divider tod ke U-turn lete hai log, {veh} ne aaj lagbhag thok diya.",
    "{place} school ke paas speed breaker nahi aur {veh} jaisi gaadiyan tez.",
    "Overload dumper {veh} {road} pe, ret sadak pe gir rahi.",
    "Phone pe baat karte hue gaadi chala raha tha {veh}, {road} pe, {time}.",
    "No entry me {vehicle} {veh} ghus gaya {place} me, police dekhti rahi.",
]

BANK_FRAUD_MR += [
    "Majhe {card} band karnyachya navakhali {phone} ne OTP ghetla ani ulat {amt} cha vyavahar kela.",
    "He lok khup hushar aahet, {phone} varun call kartat, bank sarkha awaj, KYC sathi video call kara mhantat, mag {sapp} takayla lavtat.",
    "{bank} chya navane {email} varun mail, 'tumche account 24 tasat suspend', link {url}. Phishing.",
    "Aai ne {phone} var debit card cha photo pathavla, bank wala mhanat hota. {amt} gele. Card ending {last4}.",
    "Credit card var annual fee {samt} kadhto mhanun {phone} ne OTP magitla. Fraud aahe.",
]

OTHER_MR += [
    "Ek manus swatala crime branch adhikari sangun {phone} varun dhamki deto, {amt} magto.",
    "{bank} cha locker tutlela, bank jababdari ghet nahi. {place} shakha.",
    "Amchya society bahar anolkhi lok raatri firtat, {place}, gasti vadhva.",
]

BANK_FRAUD_HI += [
    "{email} se phishing mail aaya: '{bank} netbanking restrict ho gayi, 24 ghante me {url} pe verify karo'.",
    "{email} se mail aaya {bank} card services ban ke, card number, expiry aur CVV reply karne ko bola.",
]

OTHER_HI += [
    "{email} se {company} ki naukri ka fake offer letter aaya, document verification ke {samt} maange.",
    "{email} se mail aaya khud ko {agency} bata ke, arrest se bachna hai to {amt} bharo.",
]

OTHER_MR += [
    "{email} varun {company} madhe naukri che fake offer letter aale, verification sathi {samt} magitle.",
]

BANK_FRAUD_HI += [
    "Kal shaam {phone} se call aaya, bola {bank} ka debit card expire ho gaya naya ready hai bas OTP confirm karo. Kiya aur {amt} chale gaye. Ab kya karu?",
    "{phone} mat uthana, wahi '{bank} KYC pending' wala gang hai.",
    "Mummy {upi} pe {samt} 'KYC charges' bhejne wali thi, {phone} ne {bank} ban ke call kiya tha. Time pe rok liya.",
]

TRAFFIC_HI += [
    "Kal shaam {road} pe {vehicle} {veh} wrong side se aaya aur {place} me scooty ko thok diya, ruka bhi nahi.",
    "Aaj {road} se mat jana, {place} me {veh} jaise truck galat park hai, pura jam.",
]

OTHER_HI += [
    "Kal ek aadmi dukaan pe aaya {place} me, bola bijli vibhag se hu, meter check ke {samt} le gaya. Fake tha.",
    "Kya karu? {phone} meri beti ko baar baar call karke dhamka raha hai.",
    "{foreign} ka call mat uthana, sextortion gang hai. Dost ko blackmail kiya.",
]

BANK_FRAUD_MR += [
    "Kal sandhyakali {phone} varun call aala, {bank} che debit card expire zale, navin tayar aahe, fakt OTP sanga mhanala. Sangitla ani {amt} gele. Ata kay karu?",
    "{phone} uchlu naka, toch '{bank} KYC pending' toli aahe.",
]

TRAFFIC_MR += [
    "Kal sandhyakali {road} var {vehicle} {veh} ulat dishene aala ani {place} madhe scooty la udavla, thambla pan nahi.",
]

OTHER_MR += [
    "Kay karu? {phone} majhya mulila sarkha call karun dhamkavto.",
    "Kal ek manus dukanat aala {place} madhe, vij vibhagatun aalo mhanala, meter tapasnisathi {samt} gheun gela. Khota hota.",
]
