// Cross-language concepts: the same idea written in English, Spanish, German or French ("Rechnung", "factura",
// "facture" → invoice) becomes one extra feature, so an example in one language teaches the others. This is a
// translation table of the IT-services domain, not a rule: which service line a concept points to is learned.
const table: Record<string, string> = {
  security:
    'security seguridad sicherheit securite cybersecurity cybersecurite ciberseguridad cybersicherheit informationssicherheit seguro securiser',
  attack:
    'attack attacks attacked attacker attackers ataque ataques atacado angriff angriffe hackerangriff cyberangriff attaque attaques',
  hacked:
    'hack hacker hackers hackeado hackeada hackearon gehackt pirate piratage piraté pirater intrusion intrusiones eindringen',
  malware: 'malware virus viruses trojan trojaner schadsoftware ransomware rancongiciel rançongiciel spyware',
  encrypted: 'encrypted encryption cifrado cifrar verschlusselt verschlusselung chiffres chiffrement',
  phishing: 'phishing hameconnage suplantacion',
  password: 'password passwords contrasena passwort kennwort',
  firewall: 'firewall firewalls cortafuegos',
  pentest: 'pentest pentests penetration penetrationstest pentesting',
  vulnerability:
    'vulnerability vulnerabilities vulnerabilidad vulnerabilidades schwachstelle schwachstellen vulnerabilite vulnerabilites',
  compliance: 'compliance cumplimiento conformite konformitat normativa regulation gdpr rgpd dsgvo',
  audit: 'audit audits auditoria auditorias prufung',
  cloud: 'cloud nube nuage wolke',
  migrate:
    'migrate migrating migration migrar migracion migraciones migrieren migration migrer migrate umzug umziehen verlagern verlagerung trasladar traslado basculer deplacer demenager rehost',
  server: 'server servers servidor servidores serveur serveurs',
  datacenter: 'datacenter rechenzentrum cpd',
  hosting: 'hosting hoster hebergeur alojamiento',
  data: 'data datos daten donnees',
  report: 'report reports reporting informe informes bericht berichte rapport rapports berichtswesen',
  dashboard:
    'dashboard dashboards panel paneles tablero tableros cuadro kennzahlen tableau tableaux indicadores indicateurs kpi kpis',
  analysis: 'analysis analyse analyses analytics analisis auswertung auswertungen analyser analizar auswerten',
  forecast:
    'forecast forecasting prediction predict prevision previsiones prognose prognosen prevision previsions prediccion predecir prevoir',
  warehouse: 'warehouse almacen entrepot lakehouse',
  invoice: 'invoice invoices billing factura rechnung facture factures',
  contract: 'contract contracts contrato contratos vertrag vertrage contrat contrats',
  ticket: 'ticket tickets incidencia incidencias incident incidents storung',
  technician: 'technician technicians engineer tecnico techniker technicien techniciens',
  broken: 'broken down caida ausgefallen ausfall panne failing failed falla fallo',
  printer: 'printer printers impresora impresoras drucker imprimantes',
  laptop: 'laptop laptops portatil portatiles notebook notebooks portables',
  computer:
    'computer computers pc pcs ordenador ordenadores equipos rechner arbeitsplatze ordinateur ordinateurs postes workstation workstations',
  network: 'network networks red redes netzwerk reseau reseaux wifi wlan',
  maintenance: 'maintenance mantenimiento wartung entretien',
  support: 'support soporte betreuung assistance helpdesk hotline',
  outsource: 'outsource outsourcing outsourced externalizar externalizacion auslagern infogerance subcontratar',
  provider: 'provider msp proveedor dienstleister systemhaus prestataire',
  backup: 'backup backups sauvegarde sauvegardes datensicherung',
  email: 'email emails mail mails correo messagerie postfach postfacher buzon buzones mailbox mailboxes',
  job: 'job jobs position role vacancy vacancies careers empleo puesto oferta stellen emploi poste recruiting hiring recruiter applied',
  application: 'application cv resume curriculum bewerbung bewerbe candidature candidatura',
  internship: 'internships practicas alternance',
  student: 'student students estudiantes studierende studentin etudiants thesis tesis memoire',
  journalist: 'journalist journalistin periodista journaliste reporter press prensa interview entrevista entretien',
  sponsor: 'sponsor sponsors sponsorship patrocinador patrocinadores sponsoren sponsoring',
  seo: 'seo backlink backlinks posicionamiento suchmaschinenoptimierung referencement ranking',
  crypto: 'crypto cryptocurrency bitcoin criptomonedas krypto kryptowahrung cryptomonnaie cryptomonnaies',
  complaint: 'complain unacceptable reclamacion queja beschwerde reclamation inadmissible unzufrieden descontentos',
  customer: 'customer customers cliente clientes kunde kunden client clients',
  urgent: 'urgent urgente dringend urgently urgence',
  incident: 'forensic forensics forense forensik forensiker forensique incident-response responder responders',
  compromised:
    'compromised compromise comprometido comprometida comprometidos kompromittiert kompromittiertes compromis compromise breach breached brecha fuga filtracion datenleck',
  suspicious:
    'sospechoso sospechosos verdachtig verdachtige verdachtigen suspect suspecte suspectes strange extrano extranos seltsam bizarre',
  ransom: 'ransom rescate losegeld rancon',
  monitoring: 'soc siem edr xdr mdr sentinel',
  mfa: 'mfa 2fa multifactor multi-factor mehrfaktor multifacteur authentication authentifizierung autenticacion authentification',
  regulation:
    'nis2 dora pci hipaa iso 27001 tisax soc2 kritis bsi anssi insurer insurance versicherer versicherung aseguradora assureur assurance',
  risk: 'risk risks riesgo riesgos risiko risiken risque risques threat threats amenaza amenazas bedrohung menace',
  account:
    'account accounts cuenta konto konten compte comptes user users usuario usuarios benutzer nutzer utilisateur utilisateurs licence licences license licenses licencia licencias lizenz lizenzen',
  agreed:
    'agreed promised discussed acordado acordada prometido prometida hablado vereinbart versprochen besprochen convenu promis prevu',
  private:
    'home personal private privately particular particulares privat privatperson privado privada casa particulier particuliers personnel hija hijo daughter son tochter sohn fille fils',
  // What existing customers write: about what "you" did for "us", and that it happens "again".
  yours: 'your yours vuestro vuestra vuestros vuestras ihr ihre ihrem ihren ihrer votre vos',
  delivered:
    'installed instalasteis instalado instalada eingerichtet installe installee configured configurasteis configurado konfiguriert delivered entregado geliefert livre livres built montasteis hicisteis migrated migrasteis umgestellt',
  again: 'again still todavia sigue wieder immer encore toujours',
};

const concepts = new Map<string, string>();
for (const [concept, words] of Object.entries(table)) {
  for (const word of words.split(/\s+/)) if (word) concepts.set(word, concept);
}

// Who is writing to whom, in words the topic models otherwise drop as stop words ("for us", "with you", "que
// vous"): an existing customer writes about what we did for them and the contract they have with us; a prospect
// sometimes says outright that they are not one. Matched on the folded words of the whole text, stop words included.
const phraseTable: Record<string, string> = {
  'existing-customer': `for us, with you, that you, our contract, you did, you set up, you run, you manage, you installed,
    you supplied, you migrated, fur uns, mit ihnen, die sie, von ihnen, durch ihre, unserem vertrag, pour nous,
    avec vous, que vous, notre contrat, con vosotros, que nos, nuestro contrato`,
  prospect: 'not a client, not a customer, keine kunden, pas clients, no somos clientes',
};

const phraseLists: Array<[string, string[]]> = Object.entries(phraseTable).map(([concept, list]) => [
  concept,
  list.split(',').map((phrase) => phrase.trim().replace(/\s+/g, ' ')),
]);
const phrases: Array<[string, string]> = phraseLists.flatMap(([concept, list]) =>
  list.map((phrase): [string, string] => [` ${phrase} `, concept]),
);

/** Every phrase the phrase table lists, for the test that keeps evaluation-only words out of it. */
export const conceptPhrases: ReadonlySet<string> = new Set(phraseLists.flatMap(([, list]) => list));

/** The phrase concepts a text's folded words (stop words included) contain, with the phrase that showed each. */
export function phraseConceptsOf(foldedWords: readonly string[]): Array<{ concept: string; phrase: string }> {
  const text = ` ${foldedWords.join(' ')} `;
  const found: Array<{ concept: string; phrase: string }> = [];
  for (const [phrase, concept] of phrases)
    if (!found.some((f) => f.concept === concept) && text.includes(phrase))
      found.push({ concept, phrase: phrase.trim() });
  return found;
}

/** Every word the table lists (folded), for the test that keeps evaluation-only words out of it. */
export const conceptWords: ReadonlySet<string> = new Set(concepts.keys());

/** The concept a folded word stands for, if the table knows it. */
export function conceptOf(foldedWord: string): string | undefined {
  return concepts.get(foldedWord);
}
