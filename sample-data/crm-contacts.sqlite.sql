-- Sample CRM contacts table for BatchVideo table campaigns (see README, "Table campaigns").
-- Rows mirror sample-data/contacts.csv; C-1005 is unsubscribed (left out by the sample Filter), C-1007 has no first name (rejected).
CREATE TABLE contacts (
    id TEXT NOT NULL PRIMARY KEY,
    first_name TEXT NULL,
    last_name TEXT NULL,
    email TEXT NULL,
    company TEXT NULL,
    city TEXT NULL,
    product_interest TEXT NULL,
    account_owner TEXT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    video_id TEXT NULL,
    video_status TEXT NULL,
    video_url TEXT NULL,
    video_updated_at TEXT NULL);
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1001', 'Amélie', 'Durand', 'amelie.durand@example.com', 'Boulangerie Durand', 'Lyon', 'inventory', 'Sofia', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1002', 'Jonas', 'Müller', 'jonas.mueller@example.de', 'Müller & Söhne GmbH', 'München', 'analytics', 'Sofia', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1003', 'Priya', 'Raman', 'priya.raman@example.in', 'Raman Textiles, Pvt. Ltd.', 'Chennai', 'forecasting', 'Marcus', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1004', 'Søren', 'Kierkegaard', 'soren.k@example.dk', 'Nordisk Lys', 'København', 'analytics', 'Marcus', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1005', 'Zoë', 'O''Brien', 'zoe.obrien@example.ie', 'O''Brien "Fresh" Foods', 'Dublin', 'inventory', 'Sofia', 'unsubscribed');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1006', 'José', 'Martínez', 'jose.martinez@example.es', 'Martínez y Asociados', 'Sevilla', 'billing', 'Lena', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1007', NULL, 'Nguyen', 't.nguyen@example.vn', 'Saigon Coffee Roasters', 'Ho Chi Minh City', 'inventory', 'Lena', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1008', 'Ωmega', 'Papadopoulos', 'omega.p@example.gr', 'Aegean Shipping', 'Πειραιάς', 'forecasting', 'Marcus', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1009', '美咲', '佐藤', 'misaki.sato@example.jp', '佐藤商事', '東京', 'analytics', 'Lena', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1010', 'Олег', 'Иванов', 'oleg.ivanov@example.ru', 'Север Логистика', 'Санкт-Петербург', 'billing', 'Sofia', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1011', 'Chloé', 'Lefèvre', 'chloe.lefevre@example.fr', 'Atelier Lefèvre, Paris', 'Paris', 'inventory', 'Marcus', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1012', 'Mohammed', 'Al-Farsi', 'm.alfarsi@example.om', 'Al-Farsi Trading', 'Muscat', 'billing', 'Lena', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1013', 'Björn', 'Lindqvist', 'bjorn.l@example.se', 'Lindqvist Bygg AB', 'Göteborg', 'forecasting', 'Sofia', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1014', 'Ana', 'Silva', 'ana.silva@example.br', 'Silva & Filhos', 'São Paulo', 'analytics', 'Marcus', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1015', 'Łukasz', 'Wójcik', 'lukasz.wojcik@example.pl', 'Wójcik Meble', 'Kraków', 'inventory', 'Lena', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1016', 'Aoife', 'Ní Bhriain', 'aoife@example.ie', 'Glór Media "Studio 3"', 'Galway', 'analytics', 'Sofia', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1017', 'Emeka', 'Okafor', 'emeka.okafor@example.ng', 'Okafor Agro', 'Lagos', 'billing', 'Marcus', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1018', 'Hana', 'Novák', 'hana.novak@example.cz', 'Novák s.r.o.', 'Brno', 'forecasting', 'Lena', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1019', 'Liam', 'Smith', 'liam.smith@example.com', 'Smith, Jones & Partners', 'Boston', 'inventory', 'Sofia', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1020', 'Fatma', 'Yılmaz', 'fatma.yilmaz@example.tr', 'Yılmaz Tekstil', 'İstanbul', 'analytics', 'Marcus', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1021', 'Mei', 'Chen', 'mei.chen@example.tw', 'Chen Electronics
Taipei Branch', 'Taipei', 'billing', 'Lena', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1022', 'Dmitri', 'Kovalenko', 'd.kovalenko@example.ua', 'Kovalenko IT', 'Київ', 'forecasting', 'Sofia', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1024', 'Noah', 'Williams', '=HYPERLINK("mailto:noah.w@example.au")', 'Williams Surf Co.', 'Sydney', 'inventory', 'Marcus', 'active');
INSERT INTO contacts (id, first_name, last_name, email, company, city, product_interest, account_owner, status) VALUES ('C-1025', 'Inès', 'Benali', 'ines.benali@example.ma', 'Benali Cosmétiques', 'Casablanca', 'billing', 'Lena', 'active');
