package handbook

// demoEntry is one handbook entry of the demo operation: its kind and
// topics, and its text per language (title, body).
type demoEntry struct {
	kind   Kind
	topics []string
	source string
	text   map[string][2]string
}

const (
	fhm  = "Folkhälsomyndigheten"
	vard = "1177 Vårdguiden"
	fk   = "Försäkringskassan"
	city = "Staden"
)

// demoEntries are short, real Covid-19 questions and answers as the city's
// handbook had them in 2021, in Swedish with translations.
var demoEntries = []demoEntry{
	{QA, []string{"vaccination"}, fhm, map[string][2]string{
		"sv":  {"Är vaccinet mot covid-19 gratis?", "Ja. Vaccinet är gratis för alla som bor i Sverige, även utan personnummer."},
		"en":  {"Is the COVID-19 vaccine free?", "Yes. The vaccine is free for everyone who lives in Sweden, even without a personal identity number."},
		"ar":  {"هل اللقاح ضد كوفيد-19 مجاني؟", "نعم. اللقاح مجاني لكل من يعيش في السويد، حتى بدون رقم شخصي."},
		"so":  {"Tallaalka COVID-19 ma bilaash baa?", "Haa. Tallaalku waa bilaash qof kasta oo ku nool Iswiidhan, xitaa haddii aanu lahayn lambar shakhsi."},
		"ti":  {"ክታበት ኮቪድ-19 ብነጻ ድዩ?", "እወ። ክታበት ንኹሉ ኣብ ሽወደን ዝነብር ብነጻ እዩ፣ ቍጽሪ መንነት እኳ እንተዘይብሉ።"},
		"prs": {"آیا واکسین کووید-۱۹ رایگان است؟", "بلی. واکسین برای همه کسانی که در سویدن زندگی می‌کنند رایگان است، حتی بدون نمبر شخصی."},
	}},
	{QA, []string{"vaccination"}, vard, map[string][2]string{
		"sv":  {"Hur bokar jag tid för vaccination?", "Boka på 1177.se med BankID eller ring 0771-11 77 00 om du inte har BankID."},
		"en":  {"How do I book a vaccination?", "Book at 1177.se with BankID, or call 0771-11 77 00 if you do not have BankID."},
		"ar":  {"كيف أحجز موعدًا للتطعيم؟", "احجز عبر 1177.se باستخدام BankID أو اتصل بالرقم 0771-11 77 00 إذا لم يكن لديك BankID."},
		"so":  {"Sideen u ballansadaa tallaalka?", "Ku ballanso 1177.se adigoo isticmaalaya BankID ama wac 0771-11 77 00 haddii aadan haysan BankID."},
		"ti":  {"ንክታበት ቆጸራ ብኸመይ ይሕዝ?", "ብ BankID ኣብ 1177.se ሓዝ፣ BankID እንተዘይብልካ ናብ 0771-11 77 00 ደውል።"},
		"prs": {"چطور برای واکسین وقت بگیرم؟", "در 1177.se با BankID وقت بگیرید یا اگر BankID ندارید به 0771-11 77 00 زنگ بزنید."},
	}},
	{QA, []string{"vaccination"}, fhm, map[string][2]string{
		"sv":  {"Är vaccinet säkert?", "Ja. Vaccinen är granskade av Läkemedelsverket och EU. Vanliga biverkningar är ont i armen och trötthet i ett par dagar."},
		"en":  {"Is the vaccine safe?", "Yes. The vaccines are reviewed by the Swedish Medical Products Agency and the EU. Common side effects are a sore arm and tiredness for a couple of days."},
		"ar":  {"هل اللقاح آمن؟", "نعم. تمت مراجعة اللقاحات من قبل هيئة الأدوية السويدية والاتحاد الأوروبي. الآثار الجانبية الشائعة ألم في الذراع وتعب لبضعة أيام."},
		"so":  {"Tallaalku ma ammaan baa?", "Haa. Tallaalada waxaa hubiyay Hay'adda Daawooyinka Iswiidhan iyo Midowga Yurub. Waxyeelada caadiga ah waa xanuun gacanta ah iyo daal dhowr maalmood."},
		"ti":  {"ክታበት ውሑስ ድዩ?", "እወ። ክታበታት ብቤት ጽሕፈት መድሃኒት ሽወደንን ሕብረት ኤውሮጳን ተመርሚሮም እዮም። ልሙድ ጐድናዊ ሳዕቤን ቃንዛ ኢድን ድኻምን ንሒደት መዓልታት እዩ።"},
		"prs": {"آیا واکسین مصون است؟", "بلی. واکسین‌ها توسط اداره دوای سویدن و اتحادیه اروپا بررسی شده‌اند. عوارض معمول درد بازو و خستگی برای چند روز است."},
	}},
	{QA, []string{"vaccination"}, fhm, map[string][2]string{
		"sv":  {"Kan jag vaccinera mig om jag är gravid?", "Ja. Folkhälsomyndigheten rekommenderar vaccination för gravida. Prata med din barnmorska om du är orolig."},
		"en":  {"Can I be vaccinated if I am pregnant?", "Yes. The Public Health Agency recommends vaccination for pregnant women. Talk to your midwife if you are worried."},
		"ar":  {"هل يمكنني أخذ اللقاح إذا كنت حاملًا؟", "نعم. توصي هيئة الصحة العامة بالتطعيم للحوامل. تحدثي مع القابلة إذا كنت قلقة."},
		"so":  {"Ma is tallaali karaa haddii aan uur leeyahay?", "Haa. Hay'adda Caafimaadka Bulshada waxay ku talinaysaa in haweenka uurka leh la tallaalo. La hadal umulisadaada haddii aad walwalsan tahay."},
		"ti":  {"ነፍሰ-ጾር እንተ ዀንኩ ክኽተብ ይኽእል ድየ?", "እወ። ኤጀንሲ ሕብረተሰብ ጥዕና ንነፍሰ-ጾራት ክታበት ይመክር። እንተ ተሻቒልኪ ምስ መሕረስቲ ተዛረቢ።"},
		"prs": {"آیا در دوران حاملگی می‌توانم واکسین شوم؟", "بلی. اداره صحت عامه واکسین را برای زنان حامله توصیه می‌کند. اگر نگران هستید با قابله خود صحبت کنید."},
	}},
	{QA, []string{"symptoms"}, vard, map[string][2]string{
		"sv":  {"Vilka är symtomen på covid-19?", "Feber, hosta, halsont, snuva, huvudvärk och nedsatt lukt eller smak. Många får milda symtom."},
		"en":  {"What are the symptoms of COVID-19?", "Fever, cough, sore throat, runny nose, headache and loss of smell or taste. Many people get mild symptoms."},
		"ar":  {"ما هي أعراض كوفيد-19؟", "الحمى والسعال والتهاب الحلق وسيلان الأنف والصداع وفقدان الشم أو التذوق. كثير من الناس تظهر عليهم أعراض خفيفة."},
		"so":  {"Waa maxay calaamadaha COVID-19?", "Qandho, qufac, cune xanuun, duray, madax xanuun iyo urta ama dhadhanka oo lumaa. Dad badan waxay yeeshaan calaamado fudud."},
		"ti":  {"ምልክታት ኮቪድ-19 እንታይ እዮም?", "ረስኒ፣ ሰዓል፣ ቃንዛ ጎረሮ፣ ጽርግያ ኣፍንጫ፣ ሕማም ርእሲን ምጥፋእ ጨና ወይ ጣዕምን። ብዙሓት ፈኲስ ምልክታት ይረኽቡ።"},
		"prs": {"علائم کووید-۱۹ چیست؟", "تب، سرفه، گلودرد، آبریزش بینی، سردرد و از دست دادن حس بویایی یا چشایی. بسیاری علائم خفیف دارند."},
	}},
	{QA, []string{"symptoms", "health_care"}, vard, map[string][2]string{
		"sv":  {"När ska jag söka vård?", "Ring 1177 om du blir sämre, har svårt att andas eller har hög feber i flera dagar. Ring 112 vid andnöd."},
		"en":  {"When should I seek care?", "Call 1177 if you get worse, find it hard to breathe or have a high fever for several days. Call 112 if you are short of breath."},
		"ar":  {"متى يجب أن أطلب الرعاية الطبية؟", "اتصل بـ 1177 إذا ساءت حالتك أو صعب عليك التنفس أو كانت لديك حمى عالية لعدة أيام. اتصل بـ 112 عند ضيق التنفس."},
		"so":  {"Goorma ayaan daryeel caafimaad raadsadaa?", "Wac 1177 haddii aad ka sii dartid, aad neefsashada ku dhibtoonayso ama aad qandho sare leedahay dhowr maalmood. Wac 112 haddii neeftu kugu dhegto."},
		"ti":  {"መዓስ ሕክምና ክደሊ ኣለኒ?", "እንተ ሓሚምካ፣ ምስትንፋስ እንተ ኣጸገመካ ወይ ንብዙሕ መዓልታት ልዑል ረስኒ እንተሎካ ናብ 1177 ደውል። ትንፋስ እንተ ሓጺሩካ ናብ 112 ደውል።"},
		"prs": {"چه وقت باید به داکتر مراجعه کنم؟", "اگر حالتان بدتر شد، به سختی نفس می‌کشید یا چند روز تب بالا دارید به 1177 زنگ بزنید. در صورت تنگی نفس به 112 زنگ بزنید."},
	}},
	{QA, []string{"testing"}, vard, map[string][2]string{
		"sv":  {"Var kan jag testa mig?", "Beställ ett gratis självtest på 1177.se eller gå till en testmottagning i din stadsdel."},
		"en":  {"Where can I get tested?", "Order a free self-test at 1177.se or go to a test centre in your district."},
		"ar":  {"أين يمكنني إجراء الفحص؟", "اطلب فحصًا ذاتيًا مجانيًا عبر 1177.se أو اذهب إلى مركز الفحص في حيّك."},
		"so":  {"Xaggee ayaan iska baari karaa?", "Dalbo baaritaan bilaash ah oo is-baaris ah 1177.se ama aad xarunta baaritaanka ee xaafaddaada."},
		"ti":  {"ኣበይ ክምርመር ይኽእል?", "ኣብ 1177.se ናይ ነብስኻ መመርመሪ ብነጻ እዘዝ ወይ ናብ ማእከል መመርመሪ ከባቢኻ ኪድ።"},
		"prs": {"کجا می‌توانم تست بدهم؟", "یک تست خانگی رایگان از 1177.se سفارش دهید یا به مرکز تست در ناحیه خود بروید."},
	}},
	{QA, []string{"testing"}, fhm, map[string][2]string{
		"sv":  {"Vad gör jag om testet är positivt?", "Stanna hemma, undvik nära kontakt och berätta för dem du träffat de senaste dagarna. Följ råden från 1177."},
		"en":  {"What do I do if the test is positive?", "Stay at home, avoid close contact and tell the people you met in the last few days. Follow the advice from 1177."},
		"ar":  {"ماذا أفعل إذا كانت نتيجة الفحص إيجابية؟", "ابقَ في المنزل وتجنب الاختلاط وأخبر من التقيت بهم في الأيام الأخيرة. اتبع نصائح 1177."},
		"so":  {"Maxaan sameeyaa haddii baaritaanku yahay togan?", "Guriga joog, iska ilaali xiriir dhow oo u sheeg dadkii aad la kulantay maalmihii u dambeeyay. Raac talooyinka 1177."},
		"ti":  {"ውጽኢት መርመራ ፖዘቲቭ እንተ ዀይኑ እንታይ ክገብር?", "ኣብ ገዛ ጽናሕ፣ ጥቡቕ ርክብ ተቖጠብ እሞ ነቶም ኣብዚ ቀረባ መዓልታት ዝረኸብካዮም ሓብሮም። ምኽሪ 1177 ተኸተል።"},
		"prs": {"اگر تست مثبت بود چه کنم؟", "در خانه بمانید، از تماس نزدیک دوری کنید و به کسانی که در روزهای اخیر دیده‌اید خبر دهید. از توصیه‌های 1177 پیروی کنید."},
	}},
	{QA, []string{"isolation"}, fhm, map[string][2]string{
		"sv":  {"Hur länge ska jag stanna hemma när jag är sjuk?", "Stanna hemma tills du är feberfri och känner dig frisk, minst fem dagar från att du blev sjuk."},
		"en":  {"How long should I stay at home when I am ill?", "Stay at home until you have no fever and feel well, at least five days from when you became ill."},
		"ar":  {"كم من الوقت يجب أن أبقى في المنزل عندما أكون مريضًا؟", "ابقَ في المنزل حتى تزول الحمى وتشعر بالتحسن، خمسة أيام على الأقل من بداية المرض."},
		"so":  {"Intee in le'eg ayaan guriga joogaa markaan jiran ahay?", "Guriga joog ilaa qandhadu kaa tagto oo aad caafimaad dareento, ugu yaraan shan maalmood laga bilaabo markii aad jiratay."},
		"ti":  {"ሕሙም ክኸውን ከለኹ ክንደይ ግዜ ኣብ ገዛ ክጸንሕ?", "ረስኒ ክሳዕ ዝሃድእ ጥዕና ክሳዕ ዝስምዓካ ኣብ ገዛ ጽናሕ፣ እንተ ወሓደ ሓሙሽተ መዓልቲ ካብ ዝሓመምካሉ።"},
		"prs": {"وقتی مریض هستم چه مدت در خانه بمانم؟", "تا زمانی که تب ندارید و احساس سلامتی می‌کنید در خانه بمانید، حداقل پنج روز از شروع مریضی."},
	}},
	{QA, []string{"school"}, city, map[string][2]string{
		"sv":  {"Får mitt barn gå till skolan med snuva?", "Barn i förskola och skola som bara är lite snuviga får gå dit. Har barnet feber ska det stanna hemma."},
		"en":  {"Can my child go to school with a runny nose?", "Children in preschool and school with only a slight runny nose may go. If the child has a fever, they should stay at home."},
		"ar":  {"هل يمكن لطفلي الذهاب إلى المدرسة وهو مصاب بالزكام؟", "يمكن للأطفال المصابين بزكام خفيف فقط الذهاب إلى الروضة والمدرسة. إذا كان لدى الطفل حمى فيجب أن يبقى في المنزل."},
		"so":  {"Ilmahaygu ma aadi karaa dugsiga isagoo duray qaba?", "Carruurta dugsiga iyo xannaanada ee duray yar oo keliya qaba way aadi karaan. Haddii ilmuhu qandho qabo, waa inuu guriga joogaa."},
		"ti":  {"ውላደይ ምስ ጽርግያ ኣፍንጫ ናብ ቤት ትምህርቲ ክኸይድ ይኽእል ድዩ?", "ቁሩብ ጽርግያ ጥራይ ዘለዎም ቆልዑ ክኸዱ ይኽእሉ። ረስኒ እንተሎዎ ግን ኣብ ገዛ ክጸንሕ ኣለዎ።"},
		"prs": {"آیا طفلم با آبریزش بینی می‌تواند به مکتب برود؟", "اطفالی که فقط کمی آبریزش بینی دارند می‌توانند به کودکستان و مکتب بروند. اگر طفل تب دارد باید در خانه بماند."},
	}},
	{QA, []string{"school"}, city, map[string][2]string{
		"sv": {"Vad händer om skolan stänger?", "Skolan ger undervisning på distans. Barn som behöver kan få skollunch och en dator att låna. Kontakta skolans rektor."},
		"en": {"What happens if the school closes?", "The school teaches remotely. Children who need it can get school lunch and borrow a computer. Contact the head teacher."},
		"ar": {"ماذا يحدث إذا أغلقت المدرسة؟", "تقدم المدرسة التعليم عن بعد. يمكن للأطفال المحتاجين الحصول على وجبة الغداء واستعارة حاسوب. تواصل مع مدير المدرسة."},
		"so": {"Maxaa dhacaya haddii dugsigu xirmo?", "Dugsigu wuxuu ku baraa fog. Carruurta u baahan waxay heli karaan qadada dugsiga iyo kombiyuutar la amaahdo. La xiriir maamulaha dugsiga."},
	}},
	{QA, []string{"work", "benefits"}, fk, map[string][2]string{
		"sv":  {"Får jag sjuklön om jag är sjuk i covid-19?", "Ja, arbetsgivaren betalar sjuklön de första 14 dagarna. Sjukanmäl dig till arbetsgivaren första dagen."},
		"en":  {"Do I get sick pay if I have COVID-19?", "Yes, your employer pays sick pay for the first 14 days. Report sick to your employer on the first day."},
		"ar":  {"هل أحصل على أجر المرض إذا أصبت بكوفيد-19؟", "نعم، يدفع صاحب العمل أجر المرض في أول 14 يومًا. أبلغ صاحب العمل عن مرضك في اليوم الأول."},
		"so":  {"Ma helayaa mushahar jirro haddii aan qabo COVID-19?", "Haa, loo shaqeeyahaagu wuxuu bixiyaa mushaharka jirrada 14-ka maalmood ee ugu horreeya. U sheeg loo shaqeeyahaaga maalinta koowaad."},
		"ti":  {"ብኮቪድ-19 እንተ ሓሚመ ደሞዝ ሕማም ይረክብ ድየ?", "እወ፣ ኣስራሒኻ ናይ ፈለማ 14 መዓልታት ደሞዝ ሕማም ይኸፍል። ኣብ ቀዳማይ መዓልቲ ንኣስራሒኻ ሓብር።"},
		"prs": {"آیا اگر به کووید-۱۹ مبتلا شوم معاش مریضی می‌گیرم؟", "بلی، کارفرما در ۱۴ روز اول معاش مریضی می‌پردازد. روز اول مریضی را به کارفرما اطلاع دهید."},
	}},
	{QA, []string{"benefits"}, fk, map[string][2]string{
		"sv":  {"Kan jag få ersättning om jag stannar hemma med mitt sjuka barn?", "Ja, du kan få tillfällig föräldrapenning (vab). Anmäl på forsakringskassan.se eller ring 0771-524 524."},
		"en":  {"Can I get compensation if I stay at home with my sick child?", "Yes, you can get temporary parental benefit (VAB). Apply at forsakringskassan.se or call 0771-524 524."},
		"ar":  {"هل يمكنني الحصول على تعويض إذا بقيت في المنزل مع طفلي المريض؟", "نعم، يمكنك الحصول على إعانة الوالدين المؤقتة. قدّم الطلب عبر forsakringskassan.se أو اتصل بالرقم 0771-524 524."},
		"so":  {"Ma heli karaa magdhow haddii aan guriga la joogo ilmahayga jiran?", "Haa, waxaad heli kartaa gunnada waalidka ee ku meel gaarka ah (vab). Codso forsakringskassan.se ama wac 0771-524 524."},
		"prs": {"آیا اگر با طفل مریضم در خانه بمانم کمک مالی می‌گیرم؟", "بلی، می‌توانید کمک موقت والدین (vab) بگیرید. در forsakringskassan.se درخواست دهید یا به 0771-524 524 زنگ بزنید."},
	}},
	{QA, []string{"benefits", "work"}, city, map[string][2]string{
		"sv": {"Jag har förlorat jobbet. Vem kan hjälpa mig?", "Anmäl dig hos Arbetsförmedlingen första dagen. Stadens jobbtorg hjälper dig att söka arbete och utbildning."},
		"en": {"I have lost my job. Who can help me?", "Register with the Swedish Public Employment Service on the first day. The city's job centre helps you look for work and education."},
		"ar": {"فقدت عملي. من يمكنه مساعدتي؟", "سجّل في مكتب العمل في اليوم الأول. يساعدك مركز العمل التابع للمدينة في البحث عن عمل وتعليم."},
		"so": {"Shaqadii ayaan waayay. Yaa i caawin kara?", "Iska diiwaangeli Xafiiska Shaqada maalinta koowaad. Xarunta shaqada ee magaalada ayaa kaa caawisa raadinta shaqo iyo waxbarasho."},
	}},
	{QA, []string{"housing"}, city, map[string][2]string{
		"sv":  {"Vi är många i lägenheten. Hur skyddar vi de äldre?", "Låt den som är sjuk sova i ett eget rum om det går, vädra ofta och håll avstånd till äldre och sjuka i familjen."},
		"en":  {"There are many of us in the flat. How do we protect the elderly?", "Let the person who is ill sleep in a room of their own if possible, air the rooms often and keep your distance from older and ill family members."},
		"ar":  {"نحن كثيرون في الشقة. كيف نحمي كبار السن؟", "دع المريض ينام في غرفة منفصلة إن أمكن، وقم بتهوية الغرف كثيرًا وحافظ على المسافة من كبار السن والمرضى في العائلة."},
		"so":  {"Waxaan nahay dad badan oo guriga ku jira. Sidee u ilaalinnaa dadka waayeelka ah?", "Qofka jiran ha seexdo qol gaar ah haddii ay suurtagal tahay, hawo sii qolalka oo ka fogaada waayeelka iyo dadka jiran ee qoyska."},
		"ti":  {"ኣብ ገዛ ብዙሓት ኢና። ንኣረጋውያን ብኸመይ ንከላኸል?", "እቲ ሕሙም እንተ ተኻኢሉ ኣብ በይኑ ክፍሊ ይደቀስ፣ ብተደጋጋሚ ኣየር ኣእቱ፣ ካብ ኣረጋውያንን ሕሙማትን ርሕቀት ሓዝ።"},
		"prs": {"ما در آپارتمان زیاد هستیم. چطور از سالمندان محافظت کنیم؟", "اگر ممکن است فرد مریض در اتاق جداگانه بخوابد، اتاق‌ها را زیاد هوا بدهید و از سالمندان و مریضان خانواده فاصله بگیرید."},
	}},
	{QA, []string{"health_care"}, vard, map[string][2]string{
		"sv":  {"Kan jag få tolk när jag ringer 1177?", "Ja. Säg vilket språk du talar när du ringer, så kopplas en tolk in. Tolken är gratis."},
		"en":  {"Can I get an interpreter when I call 1177?", "Yes. Say which language you speak when you call, and an interpreter joins. The interpreter is free."},
		"ar":  {"هل يمكنني الحصول على مترجم عندما أتصل بـ 1177؟", "نعم. قل اللغة التي تتحدثها عند الاتصال وسينضم مترجم. المترجم مجاني."},
		"so":  {"Ma heli karaa turjubaan markaan wacayo 1177?", "Haa. Sheeg luqadda aad ku hadasho markaad wacdo, turjubaan ayaa lagu xiri doonaa. Turjubaanku waa bilaash."},
		"ti":  {"ናብ 1177 ክድውል ከለኹ ተርጓሚ ክረክብ ይኽእል ድየ?", "እወ። ክትድውል ከለኻ እትዛረቦ ቋንቋ ንገር፣ ተርጓሚ ክሕወስ እዩ። ተርጓሚ ብነጻ እዩ።"},
		"prs": {"آیا وقتی به 1177 زنگ می‌زنم ترجمان می‌گیرم؟", "بلی. هنگام تماس بگویید به چه زبانی صحبت می‌کنید تا ترجمان وصل شود. ترجمان رایگان است."},
	}},
	{QA, []string{"travel"}, fhm, map[string][2]string{
		"sv": {"Kan jag resa till mitt hemland?", "Kontrollera vad som gäller i landet du reser till på regeringen.se och krisinformation.se innan du bokar."},
		"en": {"Can I travel to my home country?", "Check the rules of the country you travel to at regeringen.se and krisinformation.se before you book."},
		"ar": {"هل يمكنني السفر إلى بلدي الأصلي؟", "تحقق من القواعد في البلد الذي تسافر إليه على krisinformation.se قبل الحجز."},
		"so": {"Ma u safri karaa waddankaygii hooyo?", "Hubi xeerarka waddanka aad u safrayso krisinformation.se ka hor intaadan ballansan."},
	}},
	{QA, []string{"vaccination"}, fhm, map[string][2]string{
		"sv":  {"Behöver jag en påfyllnadsdos?", "Personer över 65 år och de i riskgrupper rekommenderas en påfyllnadsdos. Boka på 1177.se."},
		"en":  {"Do I need a booster dose?", "People over 65 and those in risk groups are recommended a booster dose. Book at 1177.se."},
		"ar":  {"هل أحتاج إلى جرعة معززة؟", "يوصى الأشخاص فوق 65 عامًا والفئات المعرضة للخطر بجرعة معززة. احجز عبر 1177.se."},
		"so":  {"Ma u baahanahay qiyaas xoojin ah?", "Dadka ka weyn 65 sano iyo kooxaha khatarta ku jira waxaa lagula talinayaa qiyaas xoojin ah. Ku ballanso 1177.se."},
		"ti":  {"ደራቢ ክታበት የድልየኒ ድዩ?", "ልዕሊ 65 ዓመት ዝዕድሜኦምን ኣብ ሓደጋ ዘለዉን ደራቢ ክታበት ይምከረሎም። ኣብ 1177.se ሓዝ።"},
		"prs": {"آیا به دوز تقویتی نیاز دارم؟", "به افراد بالای ۶۵ سال و گروه‌های در معرض خطر دوز تقویتی توصیه می‌شود. در 1177.se وقت بگیرید."},
	}},
	{QA, []string{"other"}, city, map[string][2]string{
		"sv":  {"Var hittar jag information på mitt språk?", "På krisinformation.se och 1177.se finns information på många språk. Du kan också ringa Stadsdelsmammornas linje."},
		"en":  {"Where can I find information in my language?", "krisinformation.se and 1177.se have information in many languages. You can also call the District Mothers' line."},
		"ar":  {"أين أجد المعلومات بلغتي؟", "يوجد على krisinformation.se و 1177.se معلومات بلغات كثيرة. يمكنك أيضًا الاتصال بخط أمهات الأحياء."},
		"so":  {"Xaggee ka heli karaa macluumaad luqaddayda ah?", "krisinformation.se iyo 1177.se waxaa ku yaal macluumaad luqado badan ah. Waxaad sidoo kale wici kartaa khadka Hooyooyinka Xaafadda."},
		"ti":  {"ብቋንቋይ ሓበሬታ ኣበይ ክረክብ?", "ኣብ krisinformation.se ከምኡውን 1177.se ብብዙሕ ቋንቋታት ሓበሬታ ኣሎ። ናብ መስመር ኣዴታት ከባቢ እውን ክትድውል ትኽእል።"},
		"prs": {"اطلاعات به زبان خودم را کجا پیدا کنم؟", "در krisinformation.se و 1177.se اطلاعات به زبان‌های زیادی وجود دارد. می‌توانید به خط مادران ناحیه هم زنگ بزنید."},
	}},
	{QA, []string{"other"}, city, map[string][2]string{
		"sv": {"Jag känner mig ensam och orolig. Vem kan jag prata med?", "Ring Mind självmordslinjen 90101 eller din vårdcentral. Stadens träffpunkter har öppet för samtal."},
		"en": {"I feel lonely and worried. Who can I talk to?", "Call Mind's helpline 90101 or your health centre. The city's meeting places are open for a talk."},
		"ar": {"أشعر بالوحدة والقلق. مع من يمكنني التحدث؟", "اتصل بخط المساعدة 90101 أو بمركز الرعاية الصحية. أماكن اللقاء في المدينة مفتوحة للحديث."},
		"so": {"Waxaan dareemayaa cidlo iyo walwal. Yaan la hadli karaa?", "Wac khadka caawimada 90101 ama xarunta caafimaadkaaga. Goobaha kulanka ee magaalada way u furan yihiin wadahadal."},
	}},
	{FactSheet, []string{"vaccination", "symptoms", "testing"}, fhm, map[string][2]string{
		"sv":  {"Faktablad: skydda dig och andra", "Vaccinera dig. Stanna hemma när du är sjuk. Tvätta händerna. Håll avstånd i kö och på bussen. Testa dig om du har symtom."},
		"en":  {"Fact sheet: protect yourself and others", "Get vaccinated. Stay at home when ill. Wash your hands. Keep your distance in queues and on the bus. Get tested if you have symptoms."},
		"ar":  {"نشرة معلومات: احمِ نفسك والآخرين", "خذ اللقاح. ابقَ في المنزل عند المرض. اغسل يديك. حافظ على المسافة في الطوابير وفي الحافلة. افحص نفسك إذا ظهرت أعراض."},
		"so":  {"Warbixin: ilaali naftaada iyo kuwa kale", "Is tallaal. Guriga joog markaad jiran tahay. Gacmaha dhaq. Kala fogaada safka iyo baska. Is baar haddii aad calaamado leedahay."},
		"ti":  {"ሓበሬታ፡ ንርእስኻን ንኻልኦትን ተኸላኸል", "ተኸተብ። ሕሙም ክትከውን ከለኻ ኣብ ገዛ ጽናሕ። ኣእዳውካ ተሓጸብ። ኣብ መስርዕን ኣውቶቡስን ርሕቀት ሓዝ። ምልክታት እንተ ሃልዩካ ተመርመር።"},
		"prs": {"برگه معلومات: از خود و دیگران محافظت کنید", "واکسین شوید. هنگام مریضی در خانه بمانید. دست‌های خود را بشویید. در صف و بس فاصله بگیرید. اگر علائم دارید تست بدهید."},
	}},
	{CallScript, []string{"vaccination"}, city, map[string][2]string{
		"sv":  {"Samtalsmanus: inbjudan till vaccination", "Hej, jag heter … och ringer från Stadsdelsmammorna på uppdrag av staden. Har du några minuter? Vi vill berätta att vaccinet är gratis och att du kan boka på 1177.se. Har du frågor om vaccinet? (Svara med handboken.) Vill du ha hjälp att boka? Tack för samtalet!"},
		"en":  {"Call script: invitation to vaccination", "Hello, my name is … and I am calling from the District Mothers on behalf of the city. Do you have a few minutes? We want to tell you that the vaccine is free and that you can book at 1177.se. Do you have questions about the vaccine? (Answer with the handbook.) Would you like help booking? Thank you for the talk!"},
		"ar":  {"نص المكالمة: دعوة للتطعيم", "مرحبًا، اسمي … وأتصل من أمهات الأحياء نيابة عن المدينة. هل لديك بضع دقائق؟ نريد أن نخبرك أن اللقاح مجاني ويمكنك الحجز عبر 1177.se. هل لديك أسئلة عن اللقاح؟ هل تريد مساعدة في الحجز؟ شكرًا على المكالمة!"},
		"so":  {"Qoraalka wicitaanka: martiqaad tallaal", "Salaan, magacaygu waa … waxaan ka wacayaa Hooyooyinka Xaafadda anigoo ka wakiil ah magaalada. Ma haysataa dhowr daqiiqo? Waxaan rabnaa inaan kuu sheegno in tallaalku bilaash yahay oo aad ku ballansan karto 1177.se. Su'aalo ma ka qabtaa tallaalka? Ma rabtaa caawimo ballansasho? Mahadsanid!"},
		"ti":  {"መደብ ዘረባ፡ ዕድመ ንክታበት", "ሰላም፣ ስመይ … እዩ፣ ካብ ኣዴታት ከባቢ ኣብ ክንዲ ምምሕዳር ከተማ እድውል ኣለኹ። ሒደት ደቓይቕ ኣለኻ ድዩ? ክታበት ብነጻ ምዃኑን ኣብ 1177.se ክትሕዝ ከም እትኽእልን ክንነግረካ ንደሊ። ሕቶ ኣለካ ድዩ? ንምሓዝ ሓገዝ ትደሊ ዶ? የቐንየልና!"},
		"prs": {"متن تماس: دعوت به واکسین", "سلام، نام من … است و از طرف مادران ناحیه به نمایندگی از شهر زنگ می‌زنم. چند دقیقه وقت دارید؟ می‌خواهیم بگوییم که واکسین رایگان است و می‌توانید در 1177.se وقت بگیرید. سوالی درباره واکسین دارید؟ برای گرفتن وقت کمک می‌خواهید؟ تشکر از صحبت شما!"},
	}},
	{CallScript, []string{"testing", "isolation"}, city, map[string][2]string{
		"sv": {"Samtalsmanus: uppföljning efter positivt test", "Hej, jag ringer från Stadsdelsmammorna. Hur mår du och din familj? Har ni det ni behöver, till exempel mat och mediciner? Vet du hur länge du ska stanna hemma? (Se handboken.) Om någon blir sämre: ring 1177, vid andnöd 112. Får vi ringa igen om några dagar?"},
		"en": {"Call script: follow-up after a positive test", "Hello, I am calling from the District Mothers. How are you and your family? Do you have what you need, such as food and medicine? Do you know how long to stay at home? (See the handbook.) If someone gets worse: call 1177, if short of breath 112. May we call again in a few days?"},
		"ar": {"نص المكالمة: متابعة بعد فحص إيجابي", "مرحبًا، أتصل من أمهات الأحياء. كيف حالك وحال عائلتك؟ هل لديكم ما تحتاجونه مثل الطعام والأدوية؟ هل تعرف كم يجب أن تبقى في المنزل؟ إذا ساءت حالة أحد: اتصل بـ 1177، وعند ضيق التنفس 112. هل يمكننا الاتصال مرة أخرى بعد أيام؟"},
		"so": {"Qoraalka wicitaanka: la socodka baaritaan togan kadib", "Salaan, waxaan ka wacayaa Hooyooyinka Xaafadda. Sidee tahay adiga iyo qoyskaaga? Ma haysataan waxaad u baahan tihiin sida cunto iyo daawo? Ma ogtahay inta aad guriga joogayso? Haddii qof ka sii daro: wac 1177, neef qabad 112. Ma ku soo wici karnaa dhowr maalmood kadib?"},
	}},
	{SMS, []string{"vaccination"}, city, map[string][2]string{
		"sv":  {"Sms: gratis vaccin", "Vaccinet mot covid-19 är gratis. Boka på 1177.se eller ring 0771-11 77 00. Frågor? Ring Stadsdelsmammorna."},
		"en":  {"SMS: free vaccine", "The COVID-19 vaccine is free. Book at 1177.se or call 0771-11 77 00. Questions? Call the District Mothers."},
		"ar":  {"رسالة: لقاح مجاني", "لقاح كوفيد-19 مجاني. احجز عبر 1177.se أو اتصل بـ 0771-11 77 00. أسئلة؟ اتصل بأمهات الأحياء."},
		"so":  {"Fariin: tallaal bilaash ah", "Tallaalka COVID-19 waa bilaash. Ku ballanso 1177.se ama wac 0771-11 77 00. Su'aalo? Wac Hooyooyinka Xaafadda."},
		"ti":  {"መልእኽቲ፡ ክታበት ብነጻ", "ክታበት ኮቪድ-19 ብነጻ እዩ። ኣብ 1177.se ሓዝ ወይ ናብ 0771-11 77 00 ደውል። ሕቶ? ንኣዴታት ከባቢ ደውል።"},
		"prs": {"پیامک: واکسین رایگان", "واکسین کووید-۱۹ رایگان است. در 1177.se وقت بگیرید یا به 0771-11 77 00 زنگ بزنید. سوال دارید؟ به مادران ناحیه زنگ بزنید."},
	}},
	{QA, []string{"isolation", "work"}, fhm, map[string][2]string{
		"sv":  {"Måste jag stanna hemma om någon i familjen är sjuk?", "Nej, inte om du själv är frisk. Var uppmärksam på symtom och testa dig om du blir sjuk."},
		"en":  {"Must I stay at home if someone in my family is ill?", "No, not if you are well yourself. Watch for symptoms and get tested if you become ill."},
		"ar":  {"هل يجب أن أبقى في المنزل إذا مرض أحد أفراد عائلتي؟", "لا، ليس إذا كنت بصحة جيدة. راقب الأعراض وافحص نفسك إذا مرضت."},
		"so":  {"Ma waajib baa inaan guriga joogo haddii qof qoyska ka mid ah jiran yahay?", "Maya, haddii adigu caafimaad qabto. La soco calaamadaha oo is baar haddii aad jiradid."},
		"ti":  {"ሓደ ካብ ስድራይ እንተ ሓሚሙ ኣብ ገዛ ክጸንሕ ግድን ድዩ?", "ኣይፋልን፣ ንስኻ ጥዑይ እንተ ዄንካ። ምልክታት ተኸታተል፣ እንተ ሓሚምካ ተመርመር።"},
		"prs": {"اگر کسی در خانواده مریض باشد آیا باید در خانه بمانم؟", "نخیر، اگر خودتان سالم هستید. مراقب علائم باشید و اگر مریض شدید تست بدهید."},
	}},
}
