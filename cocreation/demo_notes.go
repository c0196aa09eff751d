package cocreation

// The notes of the demo workshops, one a line, as participants wrote them
// (their spelling kept): "<flags> <theme>: <text>". The flags start with +
// (an answer to "what works extra well?") or - ("extra badly?"), then any
// of: a role letter for who wrote it (u service user, r relative, a
// association, b board member, s staff, y young person, o other), x typed
// in from paper, w by the participant who later withdrew, j or p marked
// as input for journeys or proposals, = a duplicate of the note above,
// merged into it. An empty theme: not grouped yet.
var demoNotes = [4]string{
	// Ekonomiskt bistånd och boende, at the city library.
	`
+ Bemötande: Min handläggare lyssnar på mig och tror på det jag säger.
+u Bemötande: När jag kom till receptionen fick jag sitta ner och fick ett glas vatten. Det betydde mycket
+ Bemötande: Hon förklarade varför jag fick avslag, inte bara att jag fick det.
+s Bemötande: Vi har börjat med öppet hus på tisdagar och folk kommer, fler än vi trodde.
+uw Bemötande: jag blev inte dömd för att jag har skulder
+r Bemötande: Handläggaren pratade med min son och inte bara med mig. Han kände sig sedd.
+x Bemötande: Personalen var vänlig och tog sig tid med mig.
+ Kontinuitet: Samma handläggare i två år. Jag slipper berätta allt från början.
+j Kontinuitet: Jag har ett direktnummer till min handläggare, det är guld
+u Kontinuitet: min handläggare ringde när hon skulle vara ledig och sa vem jag skulle prata med
+ Digitala tjänster: Att kunna söka ekonomiskt bistånd i appen sparar en resa in till stan.
+ Digitala tjänster: Bra att man kan ladda upp kvitton med mobilen
+u Digitala tjänster: man ser i appen vad som hänt med ansökan
+ Väntetider: Pengarna kom samma dag som beslutet. Skönt
+j Väntetider: Nödprövning samma dag när vi inte hade mat till barnen.
+ Information och språk: Tolken på mötet var bra och jag förstod allt.
+a Information och språk: Broschyren på somaliska om ekonomiskt bistånd delar vi ut i föreningen. Den är efterfrågad.
+ Information och språk: Checklistan på vad man ska ta med till första mötet var tydlig.
+u Samverkan: Budget- och skuldrådgivningen hjälpte mig göra en plan med inkasso.
+s Samverkan: När Arbetsförmedlingen och vi sitter i samma möte går det fortare för den som söker.
+ Samverkan: Boendestödjaren följde med mig till hyresvärden
+o Samverkan: frivilliga i kyrkan hjälpte mig fylla i blanketten
- Väntetider: Ringde 14 gånger innan någon svarade. Telefontiden är bara en timme.
-j Väntetider: Fick vänta sju veckor på första mötet. Under tiden fick jag låna pengar av min syster.
- Väntetider: Tar för lång tid att få besked när man skickat in alla papper
-= Väntetider: det tar alldeles för lång tid innan man får beslut
-s Väntetider: Vi har för många ärenden per handläggare för att hinna ringa tillbaka samma dag.
- Väntetider: Utbetalningen kom fyra dagar efter att hyran skulle vara betald. Fick påminnelseavgift.
-x Väntetider: Jag satt i telefonkö en hel förmiddag.
- Information och språk: Beslutsbrevet är skrivet på myndighetsspråk. Jag fattar inte varför jag fick avslag.
-p Information och språk: Breven borde finnas på fler språk än svenska.
- Information och språk: Ingen berättade att jag kunde överklaga
-u Information och språk: jag visste inte att man kan få hjälp med hemförsäkring
-a Information och språk: Många i vår förening vet inte att de har rätt att ta med en stödperson.
-x Information och språk: Jag har ingen dator. Allt ska vara på internet nu.
-j Information och språk: Ingen förklarade vad "skälig levnadsnivå" betyder, det stod bara i beslutet.
- Kontinuitet: Jag har haft fem olika handläggare på ett år. Varje gång börjar man om.
-j Kontinuitet: När min handläggare slutade fick jag veta det först när jag ringde
-s Kontinuitet: Nya kollegor slutar efter ett halvår, det blir många byten för dem som söker.
-p Kontinuitet: Det borde finnas en kontaktperson som följer en hela vägen
- Digitala tjänster: Man måste ha BankID för e-tjänsten, det har inte alla.
-p Digitala tjänster: Appen loggar ut mig mitt i ansökan och allt försvinner
-u Digitala tjänster: svårt att ladda upp papper med gammal mobil
- Digitala tjänster: det står "ett fel uppstod" och sen ingenting
- Bemötande: Kändes som att de tror att man fuskar.
-uw Bemötande: I receptionen pratade de om mitt ärende så alla i väntrummet hörde
-r Bemötande: När jag följde med min bror fick jag inte vara med i rummet fast han ville det.
- Bemötande: De sa att jag skulle söka jobb fast jag är sjukskriven
-= Bemötande: sa åt mig att söka jobb trots sjukintyg
- Samverkan: Jag måste ge samma papper till socialen, Försäkringskassan och Arbetsförmedlingen.
-j Samverkan: Ingen tar helheten. Socialen säger prata med psykiatrin, psykiatrin säger prata med socialen
-uw Samverkan: Hyresvärden fick inte veta att socialen skulle betala, så jag fick en varning
-b Samverkan: Vi i nämnden hör sällan hur det blir när flera förvaltningar är inblandade.
-x Samverkan: Ingen hjälpte mig med ansökan till bostadstillägg.
-o Kontinuitet: Som god man får jag aldrig tag på samma person två gånger
`,
	// Äldreomsorg och stöd till anhöriga, at the citizens' office.
	`
+ Kontinuitet: Samma två i hemtjänsten kommer nästan varje dag. Mamma känner igen dem.
+ Kontinuitet: Kontaktpersonen i hemtjänsten ringer när det blir ändringar
+ Bemötande: Hemtjänstpersonalen har alltid tid för en pratstund
+u Bemötande: Biståndshandläggaren kom hem till oss och såg hur vi har det
+r Bemötande: De frågade vad pappa tycker om att göra, inte bara vad han behöver hjälp med.
+x Bemötande: Flickorna i hemtjänsten är så snälla.
+b Bemötande: Det var värdefullt för oss i nämnden att höra direkt från anhöriga hur det är.
+r Information och språk: Anhörigkonsulenten ringde upp och förklarade vilket stöd jag kan få.
+ Information och språk: Personal som talar bosniska på boendet. Pappa blir lugn.
+ Information och språk: Bra att man fick en lapp med namn och nummer till den som har hand om ens ärende
+r Samverkan: Anhöriggruppen på torsdagar. Där kan jag prata med andra i samma sits.
+s Samverkan: När vårdcentralen och hemtjänsten planerar ihop blir det färre akuta besök.
+a Samverkan: PRO och biståndsenheten har informationsträffar tillsammans, det når många.
+ Samverkan: Hemtjänsten märkte att mamma inte åt och sa till sjuksköterskan.
+u Tillgänglighet: Trygghetslarmet kom på två dagar efter att jag ramlade.
+x Tillgänglighet: Bra att mötet var nära där jag bor. Jag tog rullatorn hit.
+ Tillgänglighet: Färdtjänsten fungerar nästan alltid
+j Väntetider: Dagverksamheten hade plats för min man inom en vecka.
+r Väntetider: fick avlösning snabbt när jag själv blev sjuk
-j Kontinuitet: Det kommer nya människor hela tiden. Mamma blir orolig och öppnar inte dörren.
-= Kontinuitet: för många olika i hemtjänsten, pappa vet aldrig vem som kommer
-x Kontinuitet: Jag vet aldrig vem som ringer på.
-s Kontinuitet: Delade turer och många timanställda gör att samma person inte kan gå till samma brukare.
- Kontinuitet: När kontaktmannen har semester vet ingen något
- Väntetider: Vi väntade fyra månader på plats på särskilt boende.
-j Väntetider: Hemtjänsten kommer en timme sent och ingen ringer och säger till
-s Väntetider: Vi hinner bara tio minuter hos varje. Det räcker inte för att hjälpa någon att äta.
-x Väntetider: Jag får duscha en gång i veckan. Det räcker inte.
-r Väntetider: avlösning i hemmet, vi väntade i flera månader
-r Information och språk: Som anhörig vet man inte vart man ska vända sig. Det finns så många nummer.
-p Information och språk: Information om avgifter borde komma innan, inte på fakturan.
-x Information och språk: Jag förstår inte räkningen från kommunen.
-j Information och språk: beslutet om hemtjänst var 6 sidor, jag förstod inte hur många timmar vi fick
-a Information och språk: Äldre som inte läser svenska missar all information om dagverksamheten.
- Information och språk: Hemsidan säger inget om vad man gör om man inte är nöjd
- Bemötande: Personalen pratar över huvudet på mamma som om hon inte var där.
- Bemötande: Biståndshandläggaren hade bestämt sig innan mötet.
-r Bemötande: Jag är utbränd som anhörig. Ingen frågar hur jag mår.
-pr Bemötande: Anhöriga borde få ett eget samtal, inte bara vara med på den äldres möte.
-r Samverkan: Sjukhuset skickade hem pappa en fredag och hemtjänsten visste ingenting.
-pr Samverkan: Ingen samordnar vårdplaneringen. Jag får själv ringa alla.
-p Samverkan: Hemtjänsten och hemsjukvården borde ha samma anteckningar så man slipper berätta allt två gånger.
-s Samverkan: Vi ser att någon blir sämre men vet inte vem på vårdcentralen vi ska ringa.
- Tillgänglighet: Biståndsenheten ligger på tredje våningen och hissen är ofta trasig.
- Tillgänglighet: Man måste ringa mellan 8 och 9 på morgonen. Då är jag på jobbet.
-u Tillgänglighet: Maten från matdistributionen är kall när den kommer
-= Tillgänglighet: matlådorna är kalla
-a Tillgänglighet: Mötesplatsen för seniorer i Dalhem har stängt, nu finns inget nära.
-o Tillgänglighet: Ledsagning till läkaren tar man bort först när det blir besparingar.
-b Väntetider: Vi i nämnden får siffror på väntetider men inte vad väntan betyder för folk.
`,
	// Unga, beroende och psykisk hälsa, by video link.
	`
+y Digitala tjänster: Bra att man kan chatta med ungdomsmottagningen anonymt
+s Digitala tjänster: Med videosamtal kommer fler unga på sina möten. Färre uteblir.
+ Digitala tjänster: Det här mötet på video är bra, jag hade inte orkat åka dit.
+y Bemötande: Min kontakt på Maria-mottagningen dömde mig inte.
+y Bemötande: hon sa att det var modigt av mig att höra av mig
+r Bemötande: Föräldrastödet var bra. De skuldbelade inte oss.
+u Bemötande: Första gången på behandlingshemmet kände jag mig som en människa och inte ett ärende
+ Väntetider: Fick komma till beroendemottagningen samma vecka som jag ringde.
+ Väntetider: jourtelefonen svarade direkt på natten
+ Samverkan: Skolkuratorn och socialtjänsten pratade ihop sig, med mitt ok.
+j Samverkan: Min SIP gjorde att alla visste vad de skulle göra.
+s Samverkan: Vi har öppen mottagning ihop med psykiatrin en dag i veckan. Det hjälper.
+a Samverkan: Fältassistenterna på fritidsgården känner ungdomarna, de är bra att ha med
+y Information och språk: Filmen om vad socialtjänsten gör var lätt att förstå.
+yw Information och språk: Tigrinjatolken på telefon gjorde att min mamma förstod
-y Information och språk: jag fattade inte att socialen skulle kontakta mina föräldrar
-r Information och språk: Som förälder fick jag ingen information om vad som händer efter en anmälan.
- Information och språk: Texten på hemsidan är för lång och krånglig.
-a Information och språk: Många unga tror att socialen bara tar barn. Ingen berättar vad de kan hjälpa till med.
-jy Väntetider: 3 månader kö till samtal. Man mår sämre av att vänta
-j Väntetider: Efter behandlingen hände ingenting. Ingen ringde. Det var då jag återföll.
-s Väntetider: Vi har inga platser nära, unga placeras långt från skola och vänner.
- Väntetider: Man får vänta för länge på svar efter en orosanmälan.
-yw Väntetider: ingen svarade i chatten på helgen
-y Bemötande: De pratade med mamma och inte med mig, fast det handlade om mig.
-py Bemötande: Jag vill kunna byta kontaktperson om det inte klickar, utan att det blir en grej.
-y Bemötande: väntrummet känns som ett polishus
-u Bemötande: De frågade om drogtest innan de frågade hur jag mår.
- Samverkan: Psykiatrin säger att jag måste vara nykter först, beroendevården att jag måste må bättre först.
-= Samverkan: ping-pong mellan psykiatri och beroendevård
-s Samverkan: Sekretessen mellan skola och socialtjänst gör att vi inte kan prata när vi borde.
-j Samverkan: Efter 18 år byts allt. Nya ställen, nya människor, ingen som tar över.
-b Samverkan: Nämnden vet för lite om hur unga har det mellan skolan och socialtjänsten.
-p Digitala tjänster: Det borde gå att boka och avboka tider själv i mobilen.
-y Digitala tjänster: man kan inte logga in om man är under 18 utan föräldrarnas bankid
- Digitala tjänster: Videolänken funkade inte i min telefon förra gången.
-r Digitala tjänster: E-tjänsten för att ansöka om stöd går inte att använda med skärmläsare.
-o Digitala tjänster: Man vet inte om ett mejl kommit fram, man får inget kvitto
-s Digitala tjänster: Vi får inte använda sms till unga, fast det är det enda de läser.
-yw Bemötande: Jag blev lovad att de skulle ringa tillbaka och de ringde aldrig
`,
	// Funktionsstöd och socialpsykiatri, today at the meeting place.
	`
+u Bemötande: Personalen på daglig verksamhet ser vad jag kan, inte bara vad jag inte kan.
+ Bemötande: Min boendestödjare knackar på fast jag inte svarar i telefon. Det har räddat mig.
+r Bemötande: Assistenterna till min dotter är som en del av familjen
+u Information och språk: Lättläst beslut med bilder. Första gången jag förstod mitt beslut.
+a Information och språk: Informationsträffen på arabiska om LSS var fullsatt
+s Information och språk: Vi har börjat med bildstöd i alla kallelser.
+ Tillgänglighet: Träffpunkten har öppet på kvällar och helger, då behövs den mest.
+u Tillgänglighet: Att man får ta med sin hund till träffpunkten.
+r Tillgänglighet: Ledsagaren följer med på bio och inte bara till läkaren
+ Väntetider: Fick korttidsboende snabbt när jag behövde vila.
+j Väntetider: Boendestödet började två veckor efter beslutet.
- Väntetider: Jag har väntat ett år på en lägenhet i gruppbostad.
-j Väntetider: Beslutet om personlig assistans tog sju månader. Under tiden fick mamma gå ner på halvtid.
-s Väntetider: Vi har kö till daglig verksamhet och inga nya platser i budgeten.
-r Väntetider: omprövningen kommer varje år och det är lika jobbigt varje gång
- Bemötande: Handläggaren pratar fort och jag hinner inte fråga.
-u Bemötande: de säger "det här är inget för dig" innan de frågat vad jag vill
-pr Bemötande: Den som har en funktionsnedsättning ska själv få vara med när man planerar.
- Information och språk: Beslutet skickas bara som brev. Jag kan inte läsa så bra.
-p Information och språk: Alla brev borde gå att få som lättläst och uppläst.
-a Information och språk: Det finns ingen som förklarar LSS på somaliska.
- Information och språk: Man vet inte vad man har rätt till förrän någon annan berättar
- Tillgänglighet: Hissen till socialkontoret är för liten för min rullstol.
-j Tillgänglighet: Färdtjänsten kom inte och jag missade mitt möte. Då fick jag en ny tid om sex veckor.
-u Tillgänglighet: Det är för mycket ljud och ljus i väntrummet. Jag klarar inte att sitta där.
-p Tillgänglighet: Man borde kunna ha möten hemma eller på träffpunkten istället för på kontoret.
-o Tillgänglighet: Som granne ser jag att han är ensam hela helgerna.
-s Väntetider: Vi som jobbar i boendestödet får för lite tid att följa med på besök.
-u Bemötande: min kontaktperson byttes tre gånger i våras
+y : Det var bra att vi fick vara med idag och säga vad vi tycker.
-u : Det finns ingen att ringa på kvällen när det blir jobbigt.
+r : Korttidsvistelsen för min son fungerar bra, han trivs.
-b : Vi i nämnden borde följa upp besluten, inte bara fatta dem.
- : Väntan på hjälpmedel, rullatorn tog tre månader.
-a : Föreningar vill hjälpa till men vet inte vem på kommunen de ska prata med.
`,
}
