// Cross-language concepts: the same idea written in English, Spanish, German or French ("Rechnung", "factura",
// "facture" → invoice) becomes one extra feature, so an example in one language teaches the others. This is a
// translation table of the IT-services domain, not a rule: which service line a concept points to is learned.
const table: Record<string, string> = {
  security: 'security seguridad sicherheit securite cybersecurity cybersecurite ciberseguridad cybersicherheit informationssicherheit seguro securiser',
  attack: 'attack attacks attacked attacker attackers ataque ataques atacado angriff angriffe hackerangriff cyberangriff attaque attaques cyberattaque',
  hacked: 'hacked hack hacker hackers hackeado hackeada hackearon gehackt pirate piratage piraté pirater intrusion intrusiones eindringen',
  malware: 'malware virus viruses trojan trojaner schadsoftware ransomware rancongiciel rançongiciel spyware',
  encrypted: 'encrypted encryption cifrado cifrados cifrar verschlusselt verschlusselung chiffre chiffres chiffrement',
  phishing: 'phishing hameconnage suplantacion',
  password: 'password passwords contrasena contrasenas passwort kennwort',
  firewall: 'firewall firewalls cortafuegos',
  pentest: 'pentest pentests penetration penetrationstest pentesting',
  vulnerability: 'vulnerability vulnerabilities vulnerabilidad vulnerabilidades schwachstelle schwachstellen vulnerabilite vulnerabilites',
  compliance: 'compliance cumplimiento conformite konformitat normativa regulation gdpr rgpd dsgvo',
  audit: 'audit audits auditoria auditorias prufung',
  cloud: 'cloud nube nuage wolke',
  migrate: 'migrate migrating migration migrations migrar migracion migraciones migrieren migration migrer migrate umzug umziehen verlagern verlagerung trasladar traslado basculer deplacer demenager rehost',
  server: 'server servers servidor servidores serveur serveurs',
  datacenter: 'datacenter datacentre rechenzentrum cpd',
  hosting: 'hosting hoster hebergeur hebergement alojamiento',
  data: 'data datos daten donnees',
  report: 'report reports reporting informe informes bericht berichte rapport rapports berichtswesen',
  dashboard: 'dashboard dashboards panel paneles tablero tableros cuadro kennzahlen tableau tableaux indicadores indicateurs kpi kpis',
  analysis: 'analysis analyse analyses analytics analisis analitica auswertung auswertungen analyser analizar auswerten',
  forecast: 'forecast forecasting prediction predict prevision previsiones prognose prognosen prevision previsions prediccion predecir prevoir',
  warehouse: 'warehouse almacen entrepot lakehouse',
  invoice: 'invoice invoices invoiced billing factura facturas rechnung rechnungen facture factures facturation',
  contract: 'contract contracts contrato contratos vertrag vertrage contrat contrats',
  ticket: 'ticket tickets incidencia incidencias incident incidents storung',
  technician: 'technician technicians engineer tecnico tecnicos techniker technicien techniciens',
  broken: 'broken down outage caido caida ausgefallen ausfall panne kaputt failing failed falla fallo',
  printer: 'printer printers impresora impresoras drucker imprimante imprimantes',
  laptop: 'laptop laptops portatil portatiles notebook notebooks portable portables',
  computer: 'computer computers pc pcs ordenador ordenadores equipos rechner arbeitsplatze ordinateur ordinateurs postes workstation workstations',
  network: 'network networks red redes netzwerk reseau reseaux wifi wlan',
  maintenance: 'maintenance mantenimiento wartung entretien',
  support: 'support soporte betreuung assistance helpdesk hotline',
  outsource: 'outsource outsourcing outsourced externalizar externalizacion auslagern infogerance externaliser subcontratar',
  provider: 'provider msp proveedor dienstleister systemhaus prestataire',
  backup: 'backup backups sauvegarde sauvegardes datensicherung',
  email: 'email emails mail mails correo messagerie postfach postfacher buzon buzones mailbox mailboxes',
  job: 'job jobs position vacancy empleo puesto stelle emploi poste recruiting hiring',
  application: 'application cv resume curriculum bewerbung bewerbe candidature candidatura',
  internship: 'internship internships intern practicas praktikum stage alternance',
  student: 'student students estudiante estudiantes studierende studentin etudiant etudiants thesis tesis masterarbeit memoire',
  journalist: 'journalist journalistin periodista journaliste reporter press prensa presse interview entrevista entretien',
  sponsor: 'sponsor sponsors sponsorship patrocinio patrocinador patrocinadores sponsoren sponsoring',
  seo: 'seo backlink backlinks posicionamiento suchmaschinenoptimierung referencement ranking',
  crypto: 'crypto cryptocurrency bitcoin criptomonedas krypto kryptowahrung cryptomonnaie cryptomonnaies',
  complaint: 'complaint complain unacceptable reclamacion queja beschwerde reclamation inadmissible unzufrieden descontentos mecontents',
  customer: 'customer customers cliente clientes kunde kunden client clients',
  urgent: 'urgent urgente dringend urgently urgence',
  // What existing customers write: about what "you" did for "us", and that it happens "again".
  yours: 'your yours vuestro vuestra vuestros vuestras ihr ihre ihrem ihren ihrer ihres votre vos',
  delivered: 'installed instalasteis instalado instalada installiert eingerichtet installe installee configured configurasteis configurado konfiguriert configure delivered entregasteis entregado geliefert livre livres built montasteis hicisteis migrated migrasteis umgestellt',
  again: 'again still otra todavia sigue wieder nochmal immer encore toujours',
};

const concepts = new Map<string, string>();
for (const [concept, words] of Object.entries(table)) {
  for (const word of words.split(/\s+/)) if (word) concepts.set(word, concept);
}

/** The concept a folded word stands for, if the table knows it. */
export function conceptOf(foldedWord: string): string | undefined {
  return concepts.get(foldedWord);
}
